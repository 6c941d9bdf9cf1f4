// The fetch history (one row per fetch of a source, for the /sources strip), on every engine: recordSuccess and
// recordFailure each keep one row, in the transaction that records the source's state; each source keeps only its
// newest FETCH_HISTORY_KEPT; and every source's history is read at once.
import { beforeEach, expect, it } from 'vitest';
import { FETCH_HISTORY_KEPT, type Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';

const T = Date.UTC(2026, 4, 20, 12);
const MIN = 60_000;

eachEngine('fetch history', (ctx) => {
  let store: Storage;
  beforeEach(async () => {
    store = await ctx.open();
    await store.syncSources(['a', 'b', 'c'].map((id) => ({ id, url: `https://${id}.example/feed`, priority: 0 })));
  });

  const ok = (id: string, at: number, over: object = {}) => store.recordSuccess(id, { at, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: at + 15 * MIN, permanentRedirect: null, ...over });

  it('keeps a row for a success, a not-modified poll and a failure, with what each did', async () => {
    await ok('a', T, { newEntries: 3, updatedEntries: 1, durationMs: 420 });
    await ok('a', T + 15 * MIN, { httpStatus: 304, notModified: true, durationMs: 35 });
    await store.recordFailure('a', { at: T + 30 * MIN, kind: 'http-error', message: 'fetch: HTTP 503', httpStatus: 503, nextFetchAt: T + 60 * MIN, permanentRedirect: null, durationMs: 80 });
    // A failure recorded without a duration (an internal error) is kept all the same.
    await store.recordFailure('a', { at: T + 60 * MIN, kind: 'database', message: 'disk full', httpStatus: null, nextFetchAt: T + 90 * MIN, permanentRedirect: null });
    expect((await store.fetchHistory(['a'])).get('a')).toEqual([
      { sourceId: 'a', fetchedAt: T, outcome: 'ok', httpStatus: 200, errorKind: null, newEntries: 3, updatedEntries: 1, durationMs: 420 },
      { sourceId: 'a', fetchedAt: T + 15 * MIN, outcome: 'not_modified', httpStatus: 304, errorKind: null, newEntries: 0, updatedEntries: 0, durationMs: 35 },
      { sourceId: 'a', fetchedAt: T + 30 * MIN, outcome: 'error', httpStatus: 503, errorKind: 'http-error', newEntries: 0, updatedEntries: 0, durationMs: 80 },
      { sourceId: 'a', fetchedAt: T + 60 * MIN, outcome: 'error', httpStatus: null, errorKind: 'database', newEntries: 0, updatedEntries: 0, durationMs: null },
    ]);
    // The state the same calls recorded is unchanged in kind.
    expect(await store.sourceState('a')).toMatchObject({ status: 'error', consecutiveFailures: 2, lastSuccessAt: T + 15 * MIN });
  });

  it('records the row in the transaction that records the state: a rollback keeps neither', async () => {
    await ok('a', T, { newEntries: 1 });
    await expect(
      store.transaction(async (tx) => {
        await tx.recordSuccess('a', { at: T + MIN, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: T + 2 * MIN, permanentRedirect: null, newEntries: 9 });
        expect((await tx.fetchHistory(['a'])).get('a')?.map((r) => r.newEntries)).toEqual([1, 9]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await store.fetchHistory(['a'])).get('a')?.map((r) => r.newEntries)).toEqual([1]);
    expect((await store.sourceState('a'))?.lastFetchedAt).toBe(T);
  });

  it('keeps only the newest FETCH_HISTORY_KEPT fetches of each source', async () => {
    const polls = FETCH_HISTORY_KEPT + 5;
    for (let i = 0; i < polls; i++) {
      if (i % 4 === 3) await store.recordFailure('a', { at: T + i * MIN, kind: 'timeout', message: 'fetch: timed out', httpStatus: null, nextFetchAt: T + (i + 1) * MIN, permanentRedirect: null });
      else await ok('a', T + i * MIN, { newEntries: i });
    }
    await ok('b', T - MIN);
    await ok('b', T);
    const history = await store.fetchHistory();
    const a = history.get('a')!;
    expect(a).toHaveLength(FETCH_HISTORY_KEPT);
    // The oldest five went, whatever their outcome; the rest are in order, oldest first.
    expect(a.map((r) => r.fetchedAt)).toEqual(Array.from({ length: FETCH_HISTORY_KEPT }, (_, i) => T + (i + 5) * MIN));
    expect(a[a.length - 1]).toMatchObject({ fetchedAt: T + (polls - 1) * MIN, outcome: (polls - 1) % 4 === 3 ? 'error' : 'ok' });
    // Another source's fetches are not counted against it.
    expect(history.get('b')!.map((r) => r.fetchedAt)).toEqual([T - MIN, T]);
    // The newest is the one fetched last, not the one inserted last: a row with an older time goes first.
    await ok('b', T - 2 * MIN);
    expect((await store.fetchHistory(['b'])).get('b')!.map((r) => r.fetchedAt)).toEqual([T - 2 * MIN, T - MIN, T]);
  });

  it('reads every source at once, or the sources asked for', async () => {
    await ok('b', T + MIN, { newEntries: 2 });
    await ok('a', T, { newEntries: 1 });
    await store.recordFailure('b', { at: T + 2 * MIN, kind: 'network', message: 'fetch: connection refused', httpStatus: null, nextFetchAt: T + 9 * MIN, permanentRedirect: null });
    const all = await store.fetchHistory();
    // A source never fetched (c) has no key.
    expect([...all.keys()]).toEqual(['a', 'b']);
    expect(all.get('b')!.map((r) => r.outcome)).toEqual(['ok', 'error']);
    const some = await store.fetchHistory(['b', 'c']);
    expect([...some.keys()]).toEqual(['b']);
    expect((await store.fetchHistory([])).size).toBe(0);
  });

  it('keeps nothing for a source that is not stored', async () => {
    await ok('nowhere', T);
    await store.recordFailure('nowhere', { at: T, kind: 'timeout', message: 'fetch: timed out', httpStatus: null, nextFetchAt: T + MIN, permanentRedirect: null });
    expect((await store.fetchHistory()).size).toBe(0);
  });
});
