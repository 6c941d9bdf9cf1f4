// `storywire recluster [--since DATE]`: rebuilds stories from stored entries.
import { loadServiceConfig } from './service-config.ts';
import { createLogger } from '../lib/logger.ts';
import { recluster } from '../pipeline/recluster.ts';
import { clustererOptions } from '../pipeline/story-assigner.ts';
import { syncSearchIndex } from '../pipeline/search-index.ts';
import { loadAliases } from '../stories/index.ts';
import { openStorage } from '../store/index.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** Runs the recluster; exit 0 when done. */
export async function reclusterCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { since: { type: 'string' } });
  const env = runtimeEnv(values);
  const config = loadServiceConfig(env.configPath);
  const since = values.since === undefined ? 0 : Date.parse(values.since as string);
  if (Number.isNaN(since)) throw new UsageError(`--since must be a date such as 2026-05-01 or 2026-05-01T12:00:00Z, got "${values.since}"`);
  const store = await openStorage(env.dbPath);
  try {
    const aliases = loadAliases(config.settings.aliasesFile ?? undefined);
    await syncSearchIndex(store, aliases, createLogger(env.logLevel));
    const r = await recluster(store, clustererOptions(config, aliases), since, Date.now());
    console.log(`reclustered ${r.entries} entries into ${r.stories} stories: ${r.storiesKept} ids kept, ${r.storiesCreated} created, ${r.storiesDeleted} deleted, ${r.entriesMoved} entries moved`);
    return 0;
  } finally {
    await store.close();
  }
}
