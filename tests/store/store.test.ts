import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/store/index.ts';
import { entryInput } from '../helpers/entries.ts';
import { eachEngine } from '../helpers/engines.ts';

const T = Date.UTC(2026, 4, 20, 12);

eachEngine('store', (ctx) => {
let store: Storage;

beforeEach(async () => {
  store = await ctx.open();
  await store.syncSources([
    { id: 'low', url: 'https://low.example/feed', priority: 0 },
    { id: 'high', url: 'https://high.example/feed', priority: 5 },
  ]);
});

async function storeWithStory(sourceId: string, key: string, over: Parameters<typeof entryInput>[0] | object = {}) {
  const r = await store.upsertEntry(sourceId, entryInput({ key, ...over }), T);
  if (r.kind !== 'inserted') throw new Error('expected insert');
  return r.id;
}

/** Every stored entry, with a story or not (listEntries shows only those with one). */
async function storedEntries() {
  return store.exportRows('entries', null, 1000);
}

describe('transactions', () => {
  it('runs a write made on the storage itself after an open transaction, never inside it', async () => {
    let release!: () => void;
    let opened!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const rolledBack = store
      .transaction(async (tx) => {
        await tx.upsertEntry('low', entryInput({ key: 'doomed' }), T);
        opened();
        await gate;
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await isOpen;
    // Asked for while the transaction is open: it must not be rolled back with it.
    const outside = store.upsertEntry('high', entryInput({ key: 'kept' }), T);
    release();
    expect(await rolledBack).toBe('roll back');
    await outside;
    expect((await storedEntries()).map((e) => e.key)).toEqual(['kept']);
  });

  // PostgreSQL sends such writes without waiting for each answer: a failure must still roll back the whole
  // transaction and be the error reported, at a later read or at the end.
  it.each([['a later read', true], ['the end of the transaction', false]])('rolls back when a write fails, reporting its own error at %s', async (_, readAfter) => {
    const failed = await store
      .transaction(async (tx) => {
        const r = await tx.upsertEntry('low', entryInput({ key: 'orphan' }), T);
        if (r.kind !== 'inserted') throw new Error('expected insert');
        await tx.assignStory(r.id, 424242);
        if (readAfter) await tx.storyEntryCount(424242);
        return 'committed';
      })
      .catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(String((failed as Error).message) + String((failed as Error).cause ?? '')).toMatch(/foreign key/i);
    expect(await store.listEntries({ limit: 10 })).toEqual([]);
  });
});

describe('entries', () => {
  it('inserts once, updates an edited item in place, ignores an unchanged one', async () => {
    const first = await store.upsertEntry('low', entryInput({ key: 'a' }), T);
    expect(first.kind).toBe('inserted');
    const id = (first as { id: number }).id;
    await store.assignStory(id, (await store.createStory(id)));
    expect((await store.upsertEntry('low', entryInput({ key: 'a' }), T + 1000)).kind).toBe('unchanged');
    const edited = await store.upsertEntry('low', entryInput({ key: 'a', title: 'Corrected title' }), T + 2000);
    expect(edited).toMatchObject({ kind: 'updated', id });
    const rows = await store.listEntries({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: 'Corrected title', firstSeenAt: T, changedAt: T + 2000 });
  });

  it('inserts a batch of new entries in its order, and says which stored ones are unchanged or changed', async () => {
    const kept = await storeWithStory('low', 'kept');
    const edited = await storeWithStory('low', 'edited');
    const batch = [
      entryInput({ key: 'n1', title: 'First new' }),
      entryInput({ key: 'kept' }),
      entryInput({ key: 'edited', title: 'Corrected title' }),
      entryInput({ key: 'n2', title: 'Second new' }),
      entryInput({ key: 'n1', title: 'First new again' }),
    ];
    const outcomes = await store.transaction((tx) => tx.insertNewEntries('low', batch, T + 1000));
    expect(outcomes).toEqual([edited + 1, 'unchanged', 'stored', edited + 2, 'stored']);
    const rows = await storedEntries();
    expect(rows.map((e) => [e.key, e.title, e.storyId, e.firstSeenAt]).sort()).toEqual([
      ['edited', 'Title of edited', null, T],
      ['kept', 'Title of kept', null, T],
      ['n1', 'First new', null, T + 1000],
      ['n2', 'Second new', null, T + 1000],
    ]);
    expect(kept).toBeLessThan(edited);
  });

  it('hands out entry ids without gaps: looking at a stored entry takes no id', async () => {
    const a = await storeWithStory('low', 'a');
    expect((await store.upsertEntry('low', entryInput({ key: 'a' }), T + 1)).kind).toBe('unchanged');
    expect(await store.transaction((tx) => tx.insertNewEntries('low', [entryInput({ key: 'a' })], T + 2))).toEqual(['unchanged']);
    expect(await storeWithStory('low', 'b')).toBe(a + 1);
  });

  it('starts a story with its entry in it', async () => {
    const id = await storeWithStory('low', 'a', { title: 'Only entry' });
    const story = await store.startStory(id);
    expect((await store.listEntries({ limit: 1 }))[0]?.storyId).toBe(story);
    expect(await store.storyById(story)).toMatchObject({ representativeEntryId: id, title: 'Only entry', entriesCount: 1 });
  });

  it('reads the story of the first stored entry of each canonical URL at once', async () => {
    const a = await storeWithStory('low', 'a', { canonicalUrl: 'https://x.example/1' });
    const b = await storeWithStory('high', 'b', { canonicalUrl: 'https://x.example/1' });
    await storeWithStory('low', 'c', { canonicalUrl: 'https://x.example/2' });
    const [sa, sb] = [await store.startStory(a), await store.startStory(b)];
    const found = await store.storiesOfCanonicalUrls(['https://x.example/1', 'https://x.example/2', 'https://x.example/3']);
    expect(sa).not.toBe(sb);
    expect([...found]).toEqual([['https://x.example/1', sa]]);
  });

  it("knows a picture URL only when a stored entry's picture is exactly it, and forgets it when an edit changes the picture", async () => {
    const image = { url: 'https://img.example/a.jpg', width: null, height: null };
    await store.startStory(await storeWithStory('low', 'a', { image }));
    expect(await store.hasEntryImage('https://img.example/a.jpg')).toBe(true);
    expect(await store.hasEntryImage('https://img.example/A.jpg')).toBe(false);
    expect(await store.hasEntryImage('https://img.example/a.jpg?x=1')).toBe(false);
    const edit = entryInput({ key: 'a', title: 'Edited', image: { ...image, url: 'https://img.example/b.jpg' } });
    expect((await store.upsertEntry('low', edit, T + 1)).kind).toBe('updated');
    expect(await store.hasEntryImage('https://img.example/a.jpg')).toBe(false);
    expect(await store.hasEntryImage('https://img.example/b.jpg')).toBe(true);
  });

  it('finds an entry indexed earlier in the same transaction, under the last terms it was indexed with', async () => {
    const id = await storeWithStory('low', 'a');
    await store.startStory(id);
    const found = await store.transaction(async (tx) => {
      await tx.indexForSearch(id, ['first']);
      await tx.indexForSearch(id, ['second']);
      const search = async (t: string) => (await tx.listEntries({ terms: [t], limit: 10 })).map((e) => e.id);
      return [await search('first'), await search('second')];
    });
    expect(found).toEqual([[], [id]]);
  });

  it('lists an entry only once it has a story; one queued for the clustering leader waits, in queue order', async () => {
    const [a, b] = await store.transaction((tx) => tx.insertNewEntries('low', [entryInput({ key: 'a' }), entryInput({ key: 'b' })], T, true));
    expect(await store.listEntries({ limit: 10 })).toEqual([]);
    expect(await store.pendingCount()).toBe(2);
    const queued = await store.pendingEntries(10);
    expect(queued.map((r) => [r.entryId, r.storyId])).toEqual([[a, null], [b, null]]);
    expect(queued[0]!.pendingSeq).toBeLessThan(queued[1]!.pendingSeq);
    await store.startStory(a as number);
    expect((await store.listEntries({ limit: 10 })).map((e) => e.id)).toEqual([a]);
    // An edit while queued moves the entry to the end of the queue: a clear naming its old place leaves it queued.
    await store.transaction((tx) => tx.upsertEntry('low', entryInput({ key: 'a', title: 'Edited' }), T + 1, true));
    await store.clearPending(queued.map((r) => ({ entryId: r.entryId, pendingSeq: r.pendingSeq })));
    expect((await store.pendingEntries(10)).map((r) => [r.entryId, r.title])).toEqual([[a, 'Edited']]);
  });

  it('keeps the same key from two sources as two entries', async () => {
    await store.upsertEntry('low', entryInput({ key: 'x' }), T);
    expect((await store.upsertEntry('high', entryInput({ key: 'x' }), T)).kind).toBe('inserted');
  });

  it('pages newest first by keyset without skipping ties', async () => {
    for (let i = 0; i < 5; i++) {
      const id = await storeWithStory('low', `k${i}`, { publishedAt: T + (i < 3 ? 0 : i) });
      await store.assignStory(id, (await store.createStory(id)));
    }
    const page1 = await store.listEntries({ limit: 2 });
    const page2 = await store.listEntries({ limit: 2, after: { publishedAt: page1[1].publishedAt, id: page1[1].id } });
    const page3 = await store.listEntries({ limit: 2, after: { publishedAt: page2[1].publishedAt, id: page2[1].id } });
    expect([...page1, ...page2, ...page3].map((e) => e.key)).toEqual(['k4', 'k3', 'k2', 'k1', 'k0']);
  });
});

describe('stories', () => {
  it('takes the headline from the highest-priority source, then counts distinct sources', async () => {
    const a = await storeWithStory('low', 'a', { title: 'Low headline', publishedAt: T });
    const story = await store.createStory(a);
    await store.assignStory(a, story);
    const b = await storeWithStory('high', 'b', { title: 'High headline', publishedAt: T + 60_000 });
    await store.assignStory(b, story);
    const c = await storeWithStory('low', 'c', { title: 'Low follow-up', publishedAt: T + 120_000 });
    await store.assignStory(c, story);
    await store.refreshStory(story, T + 300_000);
    expect((await store.storyById(story))).toMatchObject({ title: 'High headline', url: 'https://news.example/b', sourcesCount: 2, entriesCount: 3, publishedAt: T, updatedAt: T + 300_000 });
  });

  it('prefers the earliest entry among sources of equal priority', async () => {
    const late = await storeWithStory('low', 'late', { title: 'Late', publishedAt: T + 1000 });
    const story = await store.createStory(late);
    await store.assignStory(late, story);
    const early = await storeWithStory('low', 'early', { title: 'Early', publishedAt: T });
    await store.assignStory(early, story);
    await store.refreshStory(story, T + 2000);
    expect((await store.storyById(story))?.title).toBe('Early');
  });

  it('filters by source and minimum sources', async () => {
    const one = await storeWithStory('low', 'one');
    await store.assignStory(one, (await store.createStory(one)));
    const two = await storeWithStory('high', 'two', { publishedAt: T + 1 });
    const s2 = await store.createStory(two);
    await store.assignStory(two, s2);
    const three = await storeWithStory('low', 'three', { publishedAt: T + 2 });
    await store.assignStory(three, s2);
    await store.refreshStory(s2, T + 3);
    expect((await store.listStories({ coveredBy: [['high']], limit: 10 })).map((s) => s.id)).toEqual([s2]);
    expect((await store.listStories({ minSources: 2, limit: 10 })).map((s) => s.id)).toEqual([s2]);
    expect((await store.listStories({ coveredBy: [[]], limit: 10 }))).toEqual([]);
  });
});

describe('sources', () => {
  it('records failures and recovers fully on success', async () => {
    await store.recordFailure('low', { at: T, kind: 'http-error', message: 'fetch: HTTP 500', httpStatus: 500, nextFetchAt: T + 1, permanentRedirect: null });
    await store.recordFailure('low', { at: T, kind: 'timeout', message: 'fetch: timed out', httpStatus: null, nextFetchAt: T + 2, permanentRedirect: null });
    expect((await store.sourceState('low'))).toMatchObject({ status: 'error', consecutiveFailures: 2, lastErrorKind: 'timeout' });
    await store.recordSuccess('low', { at: T + 5, httpStatus: 200, etag: '"e"', lastModified: null, nextFetchAt: T + 10, permanentRedirect: null });
    expect((await store.sourceState('low'))).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: null, lastSuccessAt: T + 5, etag: '"e"' });
  });

  it('forgets validators when the configured URL changes', async () => {
    await store.recordSuccess('low', { at: T, httpStatus: 200, etag: '"e"', lastModified: 'Mon, 20 May 2024 12:00:00 GMT', nextFetchAt: T, permanentRedirect: 'https://moved.example/' });
    await store.syncSources([{ id: 'low', url: 'https://low.example/feed', priority: 1 }]);
    expect((await store.sourceState('low'))).toMatchObject({ etag: '"e"', priority: 1 });
    await store.syncSources([{ id: 'low', url: 'https://elsewhere.example/feed', priority: 1 }]);
    expect((await store.sourceState('low'))).toMatchObject({ etag: null, lastModified: null, permanentRedirect: null, url: 'https://elsewhere.example/feed' });
  });
});
});
