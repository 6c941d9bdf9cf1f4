// `storywire recluster [--since DATE]`: rebuilds stories from stored entries.
import { loadServiceConfig } from './service-config.ts';
import { createLogger } from '../lib/logger.ts';
import { recluster } from '../pipeline/recluster.ts';
import { clustererOptions } from '../pipeline/story-assigner.ts';
import { syncSearchIndex } from '../pipeline/search-index.ts';
import { loadAliases } from '../stories/index.ts';
import { openStorage, type Storage } from '../store/index.ts';
import { Leadership } from '../cluster/leadership.ts';
import { OperatorError } from '../lib/operator-error.ts';
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
    const r = await whileLeading(store, config.settings.leaseMs, () => recluster(store, clustererOptions(config, aliases), since, Date.now()));
    console.log(`reclustered ${r.entries} entries into ${r.stories} stories: ${r.storiesKept} ids kept, ${r.storiesCreated} created, ${r.storiesDeleted} deleted, ${r.entriesMoved} entries moved`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * Where several processes share the database (PostgreSQL), runs `fn` holding the clustering lease, so no leader assigns
 * entries while stories are rebuilt; the entries queued before it are taken out of the queue (the rebuild assigned
 * them). On SQLite a recluster runs beside the poller as before.
 */
async function whileLeading<T>(store: Storage, leaseMs: number, fn: () => Promise<T>): Promise<T> {
  const leadership = new Leadership(store, leaseMs);
  if (!leadership.shared) return fn();
  if (!(await leadership.keep())) {
    const holder = (await leadership.current())?.holder ?? 'another process';
    throw new OperatorError(`recluster needs the clustering lease, which ${holder} holds: stop the workers and the serve processes that poll (or wait ${Math.ceil(leaseMs / 1000)} s after they stopped), then run it again`);
  }
  const timer = setInterval(() => void leadership.keep().catch(() => {}), Math.max(500, Math.floor(leaseMs / 3)));
  try {
    // Queued before the rebuild reads the entries, so the rebuild decides them; an entry queued (or edited) after
    // stays in the queue at its new place, for the leader.
    const queued = await store.pendingEntries(Number.MAX_SAFE_INTEGER);
    const result = await fn();
    await store.transaction(async (tx) => {
      await leadership.fence(tx);
      await tx.clearPending(queued);
    });
    return result;
  } finally {
    clearInterval(timer);
    await leadership.release();
  }
}
