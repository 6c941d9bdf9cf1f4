// One source, one poll: fetch, parse, normalize, then store entries and stories in one transaction.
import { createHash } from 'node:crypto';
import type { Source } from '../config/index.ts';
import { fetchFeed, type FetchOptions, type FetchResult } from '../fetch/index.ts';
import { backoffUntil, nextPollAt } from '../fetch/policy.ts';
import { normalizeFeed } from '../normalize/index.ts';
import { parseFeed } from '../parse/index.ts';
import type { NormalizedFeed } from '../model.ts';
import type { Storage, StorageTx, UpsertOutcome } from '../store/index.ts';
import { LeadershipLost, type Leadership } from '../cluster/leadership.ts';
import { assignQueued } from './cluster-queue.ts';
import type { StoryAssigner } from './story-assigner.ts';

/** What polling one source did, for the pass summary and the logs. */
export interface SourceOutcome {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'unchanged' | 'error';
  newEntries: number;
  updatedEntries: number;
  /** Stories created or changed by this poll. */
  changedStories: number[];
  /** How many of them this poll created. */
  createdStories: number;
  error: { kind: string; message: string } | null;
  httpStatus: number | null;
  permanentRedirect: string | null;
  nextFetchAt: number;
  ms: number;
}

/** What pollSource needs from its caller. */
export interface PollContext {
  store: Storage;
  assigner: StoryAssigner;
  fetchOptions: FetchOptions;
  now: () => number;
  random: () => number;
  fetch?: typeof fetchFeed;
  /** Resolves when this source may store its entries: a pass stores sources in a fixed order, whatever order their fetches end in. */
  turn?: () => Promise<void>;
  /**
   * The clustering lease. While this process holds it, a poll assigns its new entries to stories as it stores them
   * (after any entries other pollers queued before); otherwise it queues them for the leader. Without one (a single
   * process with nothing to share), a poll always assigns.
   */
  leadership?: Leadership;
}

/** Polls one source; never throws for a failing source, the failure is recorded on it. */
export async function pollSource(ctx: PollContext, source: Source): Promise<SourceOutcome> {
  const started = ctx.now();
  const state = await ctx.store.sourceState(source.id);
  const url = state?.permanentRedirect ?? source.url;
  const result = await (ctx.fetch ?? fetchFeed)({ url, etag: state?.etag ?? null, lastModified: state?.lastModified ?? null }, ctx.fetchOptions);
  const base = { sourceId: source.id, permanentRedirect: result.permanentRedirect, ms: 0 };
  const outcome = await settle(ctx, source, result, state?.bodyHash ?? null, state?.consecutiveFailures ?? 0, started);
  return { ...base, ...outcome, ms: ctx.now() - started };
}

type Settled = Omit<SourceOutcome, 'sourceId' | 'permanentRedirect' | 'ms'>;

// `started`: when the poll began. Each recorded outcome keeps how long the poll took until then (fetch, parse, store).
async function settle(ctx: PollContext, source: Source, result: FetchResult, lastBodyHash: string | null, failures: number, started: number): Promise<Settled> {
  const now = ctx.now();
  const took = () => ctx.now() - started;
  if (result.kind === 'not-modified') {
    const nextFetchAt = schedule(ctx, source, now, null, result.maxAgeSeconds);
    await ctx.store.recordSuccess(source.id, { at: now, httpStatus: 304, etag: result.etag, lastModified: result.lastModified, nextFetchAt, permanentRedirect: result.permanentRedirect, notModified: true, durationMs: took() });
    return quiet('not-modified', 304, nextFetchAt);
  }
  if (result.kind !== 'ok') {
    const httpStatus = result.kind === 'http-error' ? result.status : null;
    const retryAfterMs = result.kind === 'http-error' ? result.retryAfterMs : null;
    return fail(ctx, source, now, failures, { kind: result.kind, message: result.message }, httpStatus, retryAfterMs, result.permanentRedirect, took);
  }
  const bodyHash = createHash('sha256').update(result.body).digest('hex');
  if (bodyHash === lastBodyHash) {
    // The server ignored our validators but sent the same bytes: nothing to parse.
    const nextFetchAt = schedule(ctx, source, now, null, result.maxAgeSeconds);
    await ctx.store.recordSuccess(source.id, { at: now, httpStatus: result.status, etag: result.etag, lastModified: result.lastModified, nextFetchAt, permanentRedirect: result.permanentRedirect, notModified: true, durationMs: took() });
    return quiet('unchanged', result.status, nextFetchAt);
  }
  const parsed = await parseFeed(result.body, { contentType: result.contentType, url: result.finalUrl });
  if (!parsed.ok) return fail(ctx, source, now, failures, parsed.error, result.status, null, result.permanentRedirect, took);
  const feed = normalizeFeed(parsed.feed, { feedUrl: result.finalUrl, now });
  const nextFetchAt = schedule(ctx, source, now, feed.info.ttlSeconds, result.maxAgeSeconds);
  await ctx.turn?.();
  const counts = await storeFeed(ctx, source.id, feed, now, (tx, stored) =>
    tx.recordSuccess(source.id, {
      at: now,
      httpStatus: result.status,
      etag: result.etag,
      lastModified: result.lastModified,
      bodyHash,
      nextFetchAt,
      permanentRedirect: result.permanentRedirect,
      feedTitle: feed.info.title,
      siteUrl: feed.info.siteUrl,
      ttlSeconds: feed.info.ttlSeconds,
      ...stored,
      durationMs: took(),
    }),
  );
  return { status: 'ok', ...counts, error: null, httpStatus: result.status, nextFetchAt };
}

/** How many queued entries a leader's poll assigns before its own; with more waiting, it queues its own too. */
const INLINE_QUEUE = 100;

/**
 * Stores the entries and records the source's state in one transaction; as the clustering leader (or alone) it also
 * assigns the entries to stories, else it queues them for the leader.
 */
async function storeFeed(
  ctx: PollContext,
  sourceId: string,
  feed: NormalizedFeed,
  now: number,
  recordState: (tx: StorageTx, stored: { newEntries: number; updatedEntries: number }) => Promise<void>,
) {
  const run = async (tx: StorageTx) => {
    const changed = new Set<number>();
    let newEntries = 0;
    let updatedEntries = 0;
    let createdStories = 0;
    let assigning = !ctx.leadership || ctx.leadership.held;
    if (assigning && ctx.leadership) {
      await ctx.leadership.fence(tx);
      // Entries other pollers stored before these come first: stories follow the order entries arrived in. A longer
      // queue is the clustering loop's to work through: these entries join it at its end, and this transaction (which
      // holds the lease) stays short.
      const queued = await assignQueued(tx, ctx.assigner, now, INLINE_QUEUE);
      for (const id of queued.changedStories) changed.add(id);
      createdStories += queued.createdStories;
      if (queued.more) assigning = false;
    }
    // Oldest first (then by identity): the order a feed lists its items in never changes which story an item joins,
    // and the clustering window moves one way through the feed.
    const ordered = [...feed.entries].sort((a, b) => a.publishedAt - b.publishedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // New entries are inserted all at once (in this order, so their ids are what one insert each would give): they
    // have no story yet, which no decision reads. A changed entry is updated in its turn, as its text may matter to
    // the decisions before it.
    const stored = await tx.insertNewEntries(sourceId, ordered, now, !assigning);
    if (assigning) await ctx.assigner.expect(tx, ordered.flatMap((e, i) => (typeof stored[i] === 'number' && e.canonicalUrl ? [e.canonicalUrl] : [])));
    for (const [i, entry] of ordered.entries()) {
      const s = stored[i]!;
      if (s === 'unchanged') continue;
      const r: UpsertOutcome = s === 'stored' ? await tx.upsertEntry(sourceId, entry, now, !assigning) : { kind: 'inserted', id: s };
      if (r.kind === 'unchanged') continue;
      const publishedAt = r.kind === 'updated' ? r.publishedAt : entry.publishedAt;
      const doc = { entryId: r.id, sourceId, title: entry.title, summary: entry.summary, canonicalUrl: entry.canonicalUrl, publishedAt };
      await tx.indexForSearch(r.id, ctx.assigner.searchTerms(doc));
      // An edit of an entry still queued (no story yet) reads as new to upsertEntry: it is an update all the same.
      if (r.kind === 'inserted' && (assigning || s !== 'stored')) newEntries++;
      else updatedEntries++;
      // Queued: the leader decides.
      if (!assigning) continue;
      // A new entry is decided; an edited one stays in its story unless its new text belongs elsewhere.
      const assigned = r.kind === 'inserted' ? await ctx.assigner.assign(tx, doc, now) : await ctx.assigner.reassign(tx, doc, r.storyId, now);
      changed.add(assigned.storyId);
      if (assigned.leftStoryId !== null) changed.add(assigned.leftStoryId);
      if (assigned.created) createdStories++;
    }
    if (!assigning && newEntries + updatedEntries) await tx.notePending();
    if (changed.size) await tx.noteStoriesChanged();
    await recordState(tx, { newEntries, updatedEntries });
    return { newEntries, updatedEntries, changedStories: [...changed], createdStories };
  };
  try {
    return await ctx.store.transaction(run);
  } catch (e) {
    // The transaction rolled back, so the window may hold entries that were never stored.
    ctx.assigner.resync();
    // Another process leads now: store again, queued for it.
    if (e instanceof LeadershipLost) return storeFeed(ctx, sourceId, feed, now, recordState);
    throw e;
  }
}

function schedule(ctx: PollContext, source: Source, now: number, ttlSeconds: number | null, maxAgeSeconds: number | null): number {
  return nextPollAt({ now, minIntervalMs: source.intervalMs, ttlSeconds, maxAgeSeconds, jitter: ctx.random });
}

function quiet(status: 'not-modified' | 'unchanged', httpStatus: number, nextFetchAt: number): Settled {
  return { status, newEntries: 0, updatedEntries: 0, changedStories: [], createdStories: 0, error: null, httpStatus, nextFetchAt };
}

async function fail(
  ctx: PollContext,
  source: Source,
  now: number,
  failures: number,
  error: { kind: string; message: string },
  httpStatus: number | null,
  retryAfterMs: number | null,
  permanentRedirect: string | null,
  took: () => number,
): Promise<Settled> {
  const nextFetchAt = backoffUntil({ now, consecutiveFailures: failures + 1, minIntervalMs: source.intervalMs, retryAfterMs, jitter: ctx.random });
  await ctx.store.recordFailure(source.id, { at: now, kind: error.kind, message: error.message, httpStatus, nextFetchAt, permanentRedirect, durationMs: took() });
  return { status: 'error', newEntries: 0, updatedEntries: 0, changedStories: [], createdStories: 0, error, httpStatus, nextFetchAt };
}
