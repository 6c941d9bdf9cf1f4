// A pass: poll every selected source within the concurrency limits and summarise.
import type { Config, Source } from '../config/index.ts';
import { fetchFeed } from '../fetch/index.ts';
import { HostLimiter } from '../lib/limiter.ts';
import type { Logger } from '../lib/logger.ts';
import { backoffUntil } from '../fetch/policy.ts';
import type { Storage } from '../store/index.ts';
import { isDeadHolder } from '../cluster/node.ts';
import type { Leadership } from '../cluster/leadership.ts';
import { pollSource, type SourceOutcome } from './poll-source.ts';
import type { StoryAssigner } from './story-assigner.ts';

/** Everything a pass needs. */
export interface PollDeps {
  store: Storage;
  config: Config;
  assigner: StoryAssigner;
  log: Logger;
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetchFeed;
  /**
   * The clustering lease: the pass leads when it can (and on SQLite must: one process polls a SQLite file), and
   * claims each source before fetching it, so other pollers of the database never fetch it at the same time.
   */
  leadership?: Leadership;
}

/** Which sources a pass polls. */
export interface PassOptions {
  /** Only this source. */
  sourceId?: string;
  /** Only sources whose next poll time has come (the scheduler); the CLI polls every enabled source. */
  dueOnly?: boolean;
  /** Called after each source, for progress displays. */
  onSource?: (outcome: SourceOutcome, done: number, total: number) => void;
}

/** The result of a pass. */
export interface PassSummary {
  outcomes: SourceOutcome[];
  newEntries: number;
  updatedEntries: number;
  failed: number;
  changedStories: number[];
  createdStories: number;
  ms: number;
}

// Sources whose failure could not be written to the database (disk full, database read-only) back off here, in
// memory, per store: otherwise their stale next-poll time would make every scheduler tick poll them again.
const unrecordedBackoff = new WeakMap<Storage, Map<string, { until: number; failures: number }>>();

function heldBack(store: Storage): Map<string, { until: number; failures: number }> {
  let held = unrecordedBackoff.get(store);
  if (!held) unrecordedBackoff.set(store, (held = new Map()));
  return held;
}

/** Runs one pass; a failing source never stops the others. */
export async function pollOnce(deps: PollDeps, opts: PassOptions = {}): Promise<PassSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  try {
    await deps.store.syncSources(deps.config.sources);
  } catch (e) {
    // The sources were synced when the config was loaded; a database refusing writes (disk full) must not stop
    // the pass, whose per-source failures say what is wrong and back off.
    const db = deps.store.describeError(e);
    if (!db) throw e;
    deps.log.error({ err: e, error: db }, 'poll.sync_failed');
  }
  // Another process (recluster, a second poller) may have changed stories since the last pass.
  deps.assigner.resync();
  if (deps.leadership) await lead(deps.store, deps.leadership, deps.log);
  // Where several processes poll one database, this pass claims its sources and fences its assignments.
  const shared = deps.leadership?.shared ? deps.leadership : undefined;
  const selected = await selectSources(deps, opts, started);
  const heartbeat = shared ? keepLeases(deps.store, shared, deps.log) : null;
  const limiter = new HostLimiter(deps.config.settings.concurrency, deps.config.settings.perHostConcurrency);
  const random = deps.random ?? Math.random;
  const ctx = {
    store: deps.store,
    assigner: deps.assigner,
    now,
    random,
    fetch: deps.fetch,
    fetchOptions: { timeoutMs: deps.config.settings.timeoutMs, maxBytes: deps.config.settings.maxBodyBytes, userAgent: deps.config.settings.userAgent },
    leadership: shared,
  };
  let done = 0;
  // Fetches run concurrently within the limits (a slot is held only while fetching); entries are stored source by
  // source in the order of the config, so which story an entry joins never depends on which server answered first.
  const fetchOf = deps.fetch ?? fetchFeed;
  let previous: Promise<unknown> = Promise.resolve();
  const outcomes = await Promise.all(
    selected.map((source) => {
      const turn = previous;
      const sourceCtx = {
        ...ctx,
        fetch: ((req, o, signal) => limiter.run(req.url, () => fetchOf(req, o, signal))) as typeof fetchFeed,
        turn: () => turn.then(() => undefined),
      };
      const polled = (shared ? claim(deps, shared, source, opts) : Promise.resolve(true))
        .then((claimed) => (claimed ? pollSource(sourceCtx, source).finally(() => shared && releasePassLease(deps, shared, source)) : null))
        .then(
          (o) => {
            heldBack(deps.store).delete(source.id);
            return o;
          },
          (e: unknown) => internalFailure(deps, source, e, now(), random),
        )
        .then((outcome) => {
          if (!outcome) return null;
          // A progress display that throws must not cost the pass its outcomes, nor the next sources their turn.
          try {
            logOutcome(deps.log, outcome);
            opts.onSource?.(outcome, ++done, selected.length);
          } catch (e) {
            deps.log.error({ err: e, source_id: source.id }, 'poll.progress_failed');
          }
          return outcome;
        });
      previous = polled;
      return polled;
    }),
  );
  heartbeat?.stop();
  const summary = summarise(
    outcomes.filter((o): o is SourceOutcome => o !== null),
    now() - started,
  );
  const outcomesPolled = summary.outcomes;
  const failedSources = outcomesPolled.filter((o) => o.status === 'error').map((o) => o.sourceId);
  deps.log.info({ sources: outcomesPolled.length, failed_sources: failedSources.slice(0, 10), new_entries: summary.newEntries, updated_entries: summary.updatedEntries, failed: summary.failed, stories_changed: summary.changedStories.length, ms: summary.ms }, 'poll.pass');
  return summary;
}

/**
 * Makes the pass the clustering leader when it can. On SQLite, where one process polls a file, it refuses to run while
 * another does; a database that cannot take the lease's write (disk full) does not stop the pass, whose sources then
 * report what is wrong.
 */
async function lead(store: Storage, leadership: Leadership, log: Logger): Promise<void> {
  try {
    await leadership.takePolling();
  } catch (e) {
    const db = store.describeError(e);
    if (!db) throw e;
    log.error({ err: e, error: db }, 'poll.lease_failed');
  }
}


// While the pass runs, its sources' leases and the clustering lease are renewed every third of their length.
function keepLeases(store: Storage, leadership: Leadership, log: Logger): { stop(): void } {
  const timer = setInterval(() => {
    store.renewSourceLeases(leadership.holder, Date.now() + leadership.leaseMs).catch((err: unknown) => log.warn({ err }, 'lease.renew_failed'));
    leadership.keep().catch((err: unknown) => log.warn({ err }, 'lease.renew_failed'));
  }, Math.max(500, Math.floor(leadership.leaseMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Claims a source before its poll. A source another poller fetches now is left to it in a pass over due sources, and
 * waited for in a pass over every source (bounded: a dead poller's lease expires). Per-host limits here are this
 * process's (the fetch limiter): counting other pollers' leases per host would make a source wait for a later one
 * that waits for its turn to store. Workers' claims (src/worker/poller.ts) count every poller's.
 */
async function claim(deps: PollDeps, leadership: Leadership, source: Source, opts: PassOptions): Promise<boolean> {
  const giveUpAt = Date.now() + 2 * leadership.leaseMs + deps.config.settings.timeoutMs;
  for (;;) {
    // The pass's clock, as its choice of due sources: next poll times were written with it.
    const t = (deps.now ?? Date.now)();
    const refused = await deps.store.claimSource(source.id, { holder: leadership.holder, now: t, until: t + leadership.leaseMs, perHost: Infinity, isDead: isDeadHolder, dueOnly: opts.dueOnly ?? false });
    if (refused === null) {
      passLeasesHeld++;
      return true;
    }
    if (refused === 'not-due' || opts.dueOnly || Date.now() >= giveUpAt) {
      if (refused === 'leased') deps.log.info({ source_id: source.id }, 'source.leased_elsewhere');
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Gives up a source's lease after its poll; a failure only delays the source's next poll by the lease's length. */
export async function release(store: Storage, leadership: Leadership, sourceId: string, log: Logger): Promise<void> {
  await store.releaseSource(sourceId, leadership.holder).catch((err: unknown) => log.warn({ err, source_id: sourceId }, 'lease.release_failed'));
}

async function releasePassLease(deps: PollDeps, leadership: Leadership, source: Source): Promise<void> {
  await release(deps.store, leadership, source.id, deps.log);
  passLeasesHeld--;
}

// Source leases the passes of this process hold now (for /healthz).
let passLeasesHeld = 0;

/** How many sources the passes of this process are polling under a lease now. */
export function passLeases(): number {
  return passLeasesHeld;
}

async function selectSources(deps: PollDeps, opts: PassOptions, now: number): Promise<Source[]> {
  const enabled = deps.config.sources.filter((s) => s.enabled && (!opts.sourceId || s.id === opts.sourceId));
  if (!opts.dueOnly) return enabled;
  const due = new Map((await deps.store.sourceStates()).map((s) => [s.id, s.nextFetchAt]));
  const held = heldBack(deps.store);
  return enabled.filter((s) => Math.max(due.get(s.id) ?? 0, held.get(s.id)?.until ?? 0) <= now);
}

// A bug in one source's processing, or a database that refuses the write (disk full), is logged loudly and recorded
// on the source when the database allows it, and the pass goes on. When it does not, the source backs off in memory.
export async function internalFailure(deps: PollDeps, source: Source, e: unknown, now: number, random: () => number): Promise<SourceOutcome> {
  const db = deps.store.describeError(e);
  const message = db ?? (e instanceof Error ? e.message : String(e));
  const kind = db ? 'database' : 'internal';
  deps.log.error({ source_id: source.id, err: e, ...(db ? { error: db } : {}) }, db ? 'source.database_error' : 'source.internal_error');
  const held = heldBack(deps.store);
  let failures = held.get(source.id)?.failures ?? 0;
  try {
    failures = Math.max(failures, (await deps.store.sourceState(source.id))?.consecutiveFailures ?? 0);
  } catch {
    // The database cannot even be read: the in-memory count is all we have.
  }
  const nextFetchAt = backoffUntil({ now, consecutiveFailures: failures + 1, minIntervalMs: source.intervalMs, retryAfterMs: null, jitter: random });
  try {
    await deps.store.recordFailure(source.id, { at: now, kind, message, httpStatus: null, nextFetchAt, permanentRedirect: null });
    held.delete(source.id);
  } catch (storeError) {
    held.set(source.id, { until: nextFetchAt, failures: failures + 1 });
    deps.log.error({ source_id: source.id, err: storeError, next_fetch_at: new Date(nextFetchAt).toISOString() }, 'source.record_failed');
  }
  const error = { kind, message };
  return { sourceId: source.id, status: 'error', newEntries: 0, updatedEntries: 0, changedStories: [], createdStories: 0, error, httpStatus: null, permanentRedirect: null, nextFetchAt, ms: 0 };
}

// Failures are warnings, with when the source is polled again; a source polled fine is a debug event (the pass
// summary counts them), so a terminal shows what needs attention.
export function logOutcome(log: Logger, o: SourceOutcome): void {
  const fields = { source_id: o.sourceId, status: o.status, http_status: o.httpStatus, new_entries: o.newEntries, updated_entries: o.updatedEntries, ms: o.ms };
  if (o.error) log.warn({ ...fields, error_kind: o.error.kind, error: o.error.message, next_fetch_at: new Date(o.nextFetchAt).toISOString() }, 'source.polled');
  else if (o.permanentRedirect) log.info({ ...fields, permanent_redirect: o.permanentRedirect }, 'source.polled');
  else log.debug(fields, 'source.polled');
}

function summarise(outcomes: SourceOutcome[], ms: number): PassSummary {
  const changed = new Set(outcomes.flatMap((o) => o.changedStories));
  return {
    outcomes,
    newEntries: outcomes.reduce((n, o) => n + o.newEntries, 0),
    updatedEntries: outcomes.reduce((n, o) => n + o.updatedEntries, 0),
    failed: outcomes.filter((o) => o.status === 'error').length,
    changedStories: [...changed],
    createdStories: outcomes.reduce((n, o) => n + o.createdStories, 0),
    ms,
  };
}
