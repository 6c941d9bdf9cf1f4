// A pass: poll every selected source within the concurrency limits and summarise.
import type { Config, Source } from '../config/index.ts';
import { fetchFeed } from '../fetch/index.ts';
import { HostLimiter } from '../lib/limiter.ts';
import type { Logger } from '../lib/logger.ts';
import { backoffUntil } from '../fetch/policy.ts';
import { recordFailure, sourceState, sourceStates, syncSources, type Store } from '../store/index.ts';
import { pollSource, type SourceOutcome } from './poll-source.ts';
import type { StoryAssigner } from './story-assigner.ts';

/** Everything a pass needs. */
export interface PollDeps {
  store: Store;
  config: Config;
  assigner: StoryAssigner;
  log: Logger;
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetchFeed;
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

/** Runs one pass; a failing source never stops the others. */
export async function pollOnce(deps: PollDeps, opts: PassOptions = {}): Promise<PassSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  syncSources(deps.store, deps.config.sources);
  // Another process (recluster, a second poller) may have changed stories since the last pass.
  deps.assigner.resync();
  const selected = selectSources(deps, opts, started);
  const limiter = new HostLimiter(deps.config.settings.concurrency, deps.config.settings.perHostConcurrency);
  const ctx = {
    store: deps.store,
    assigner: deps.assigner,
    now,
    random: deps.random ?? Math.random,
    fetch: deps.fetch,
    fetchOptions: { timeoutMs: deps.config.settings.timeoutMs, maxBytes: deps.config.settings.maxBodyBytes, userAgent: deps.config.settings.userAgent },
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
      const polled = pollSource(sourceCtx, source)
        .catch((e: unknown) => internalFailure(deps, source, e, now()))
        .then((outcome) => {
          logOutcome(deps.log, outcome);
          opts.onSource?.(outcome, ++done, selected.length);
          return outcome;
        });
      previous = polled;
      return polled;
    }),
  );
  const summary = summarise(outcomes, now() - started);
  deps.log.info({ sources: outcomes.length, new_entries: summary.newEntries, updated_entries: summary.updatedEntries, failed: summary.failed, stories_changed: summary.changedStories.length, ms: summary.ms }, 'poll.pass');
  return summary;
}

function selectSources(deps: PollDeps, opts: PassOptions, now: number): Source[] {
  const enabled = deps.config.sources.filter((s) => s.enabled && (!opts.sourceId || s.id === opts.sourceId));
  if (!opts.dueOnly) return enabled;
  const due = new Map(sourceStates(deps.store).map((s) => [s.id, s.nextFetchAt]));
  return enabled.filter((s) => (due.get(s.id) ?? 0) <= now);
}

// A bug in one source's processing is logged loudly and recorded on the source, and the pass goes on.
function internalFailure(deps: PollDeps, source: Source, e: unknown, now: number): SourceOutcome {
  const message = `internal: ${e instanceof Error ? e.message : String(e)}`;
  deps.log.error({ source_id: source.id, err: e }, 'source.internal_error');
  const failures = sourceState(deps.store, source.id)?.consecutiveFailures ?? 0;
  const nextFetchAt = backoffUntil({ now, consecutiveFailures: failures + 1, minIntervalMs: source.intervalMs, retryAfterMs: null, jitter: Math.random });
  try {
    recordFailure(deps.store, source.id, { at: now, kind: 'internal', message, httpStatus: null, nextFetchAt, permanentRedirect: null });
  } catch (storeError) {
    deps.log.error({ source_id: source.id, err: storeError }, 'source.record_failed');
  }
  const error = { kind: 'internal', message };
  return { sourceId: source.id, status: 'error', newEntries: 0, updatedEntries: 0, changedStories: [], createdStories: 0, error, httpStatus: null, permanentRedirect: null, nextFetchAt, ms: 0 };
}

function logOutcome(log: Logger, o: SourceOutcome): void {
  const fields = { source_id: o.sourceId, status: o.status, http_status: o.httpStatus, new_entries: o.newEntries, updated_entries: o.updatedEntries, ms: o.ms };
  if (o.error) log.warn({ ...fields, error_kind: o.error.kind, error: o.error.message }, 'source.polled');
  else log.info({ ...fields, ...(o.permanentRedirect ? { permanent_redirect: o.permanentRedirect } : {}) }, 'source.polled');
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
