import { beforeEach, describe, expect, it } from 'vitest';
import {
  assignStory,
  createStory,
  listEntries,
  listStories,
  openStore,
  recordFailure,
  recordSuccess,
  refreshStory,
  sourceState,
  storyById,
  syncSources,
  upsertEntry,
  type Store,
} from '../../src/store/index.ts';
import { entryInput } from '../helpers/entries.ts';

let store: Store;
const T = Date.UTC(2026, 4, 20, 12);

beforeEach(() => {
  store = openStore(':memory:');
  syncSources(store, [
    { id: 'low', url: 'https://low.example/feed', priority: 0 },
    { id: 'high', url: 'https://high.example/feed', priority: 5 },
  ]);
});

function storeWithStory(sourceId: string, key: string, over: Parameters<typeof entryInput>[0] | object = {}) {
  const r = upsertEntry(store, sourceId, entryInput({ key, ...over }), T);
  if (r.kind !== 'inserted') throw new Error('expected insert');
  return r.id;
}

describe('entries', () => {
  it('inserts once, updates an edited item in place, ignores an unchanged one', () => {
    const first = upsertEntry(store, 'low', entryInput({ key: 'a' }), T);
    expect(first.kind).toBe('inserted');
    const id = (first as { id: number }).id;
    assignStory(store, id, createStory(store, id));
    expect(upsertEntry(store, 'low', entryInput({ key: 'a' }), T + 1000).kind).toBe('unchanged');
    const edited = upsertEntry(store, 'low', entryInput({ key: 'a', title: 'Corrected title' }), T + 2000);
    expect(edited).toMatchObject({ kind: 'updated', id });
    const rows = listEntries(store, { limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: 'Corrected title', firstSeenAt: T, changedAt: T + 2000 });
  });

  it('keeps the same key from two sources as two entries', () => {
    upsertEntry(store, 'low', entryInput({ key: 'x' }), T);
    expect(upsertEntry(store, 'high', entryInput({ key: 'x' }), T).kind).toBe('inserted');
  });

  it('pages newest first by keyset without skipping ties', () => {
    for (let i = 0; i < 5; i++) {
      const id = storeWithStory('low', `k${i}`, { publishedAt: T + (i < 3 ? 0 : i) });
      assignStory(store, id, createStory(store, id));
    }
    const page1 = listEntries(store, { limit: 2 });
    const page2 = listEntries(store, { limit: 2, after: { publishedAt: page1[1].publishedAt, id: page1[1].id } });
    const page3 = listEntries(store, { limit: 2, after: { publishedAt: page2[1].publishedAt, id: page2[1].id } });
    expect([...page1, ...page2, ...page3].map((e) => e.key)).toEqual(['k4', 'k3', 'k2', 'k1', 'k0']);
  });
});

describe('stories', () => {
  it('takes the headline from the highest-priority source, then counts distinct sources', () => {
    const a = storeWithStory('low', 'a', { title: 'Low headline', publishedAt: T });
    const story = createStory(store, a);
    assignStory(store, a, story);
    const b = storeWithStory('high', 'b', { title: 'High headline', publishedAt: T + 60_000 });
    assignStory(store, b, story);
    const c = storeWithStory('low', 'c', { title: 'Low follow-up', publishedAt: T + 120_000 });
    assignStory(store, c, story);
    refreshStory(store, story, T + 300_000);
    expect(storyById(store, story)).toMatchObject({ title: 'High headline', url: 'https://news.example/b', sourcesCount: 2, entriesCount: 3, publishedAt: T, updatedAt: T + 300_000 });
  });

  it('prefers the earliest entry among sources of equal priority', () => {
    const late = storeWithStory('low', 'late', { title: 'Late', publishedAt: T + 1000 });
    const story = createStory(store, late);
    assignStory(store, late, story);
    const early = storeWithStory('low', 'early', { title: 'Early', publishedAt: T });
    assignStory(store, early, story);
    refreshStory(store, story, T + 2000);
    expect(storyById(store, story)?.title).toBe('Early');
  });

  it('filters by source and minimum sources', () => {
    const one = storeWithStory('low', 'one');
    assignStory(store, one, createStory(store, one));
    const two = storeWithStory('high', 'two', { publishedAt: T + 1 });
    const s2 = createStory(store, two);
    assignStory(store, two, s2);
    const three = storeWithStory('low', 'three', { publishedAt: T + 2 });
    assignStory(store, three, s2);
    refreshStory(store, s2, T + 3);
    expect(listStories(store, { coveredBy: [['high']], limit: 10 }).map((s) => s.id)).toEqual([s2]);
    expect(listStories(store, { minSources: 2, limit: 10 }).map((s) => s.id)).toEqual([s2]);
    expect(listStories(store, { coveredBy: [[]], limit: 10 })).toEqual([]);
  });
});

describe('sources', () => {
  it('records failures and recovers fully on success', () => {
    recordFailure(store, 'low', { at: T, kind: 'http-error', message: 'fetch: HTTP 500', httpStatus: 500, nextFetchAt: T + 1, permanentRedirect: null });
    recordFailure(store, 'low', { at: T, kind: 'timeout', message: 'fetch: timed out', httpStatus: null, nextFetchAt: T + 2, permanentRedirect: null });
    expect(sourceState(store, 'low')).toMatchObject({ status: 'error', consecutiveFailures: 2, lastErrorKind: 'timeout' });
    recordSuccess(store, 'low', { at: T + 5, httpStatus: 200, etag: '"e"', lastModified: null, nextFetchAt: T + 10, permanentRedirect: null });
    expect(sourceState(store, 'low')).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: null, lastSuccessAt: T + 5, etag: '"e"' });
  });

  it('forgets validators when the configured URL changes', () => {
    recordSuccess(store, 'low', { at: T, httpStatus: 200, etag: '"e"', lastModified: 'Mon, 20 May 2024 12:00:00 GMT', nextFetchAt: T, permanentRedirect: 'https://moved.example/' });
    syncSources(store, [{ id: 'low', url: 'https://low.example/feed', priority: 1 }]);
    expect(sourceState(store, 'low')).toMatchObject({ etag: '"e"', priority: 1 });
    syncSources(store, [{ id: 'low', url: 'https://elsewhere.example/feed', priority: 1 }]);
    expect(sourceState(store, 'low')).toMatchObject({ etag: null, lastModified: null, permanentRedirect: null, url: 'https://elsewhere.example/feed' });
  });
});
