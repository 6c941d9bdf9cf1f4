// `storywire reindex`: rebuilds the search index from stored entries with the current config's alias table.
import { loadServiceConfig } from './service-config.ts';
import { rebuildSearch } from '../pipeline/search-index.ts';
import { loadAliases } from '../stories/index.ts';
import { openStorage } from '../store/index.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** Rebuilds the index; exit 0 when done (bad usage and config are thrown, exit 2). */
export async function reindexCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {});
  if (positionals.length) throw new UsageError(`reindex takes no arguments, got "${positionals.join(' ')}"`);
  const env = runtimeEnv(values);
  const config = loadServiceConfig(env.configPath);
  const aliases = loadAliases(config.settings.aliasesFile ?? undefined);
  const store = await openStorage(env.dbPath);
  try {
    const r = await rebuildSearch(store, aliases);
    console.log(`indexed ${r.indexed} entries for search in ${(r.ms / 1000).toFixed(1)}s`);
    return 0;
  } finally {
    await store.close();
  }
}
