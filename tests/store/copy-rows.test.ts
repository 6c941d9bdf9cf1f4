// The bulk methods copy-db uses, on each engine: key-ordered pages, inserts that keep ids, counts, and id counters
// that survive deleted rows (so a deleted story's id, and its feed guid, is never handed out again).
import { expect, it } from 'vitest';
import { entryInput } from '../helpers/entries.ts';
import { eachEngine } from '../helpers/engines.ts';

const T = Date.UTC(2026, 4, 20, 12);

eachEngine('copy rows', (ctx) => {
  it('pages each table in key order and counts it', async () => {
    const s = await ctx.open();
    await s.syncSources([{ id: 'b', url: 'https://b.example/feed', priority: 0 }, { id: 'B', url: 'https://B.example/feed', priority: 0 }, { id: 'a', url: 'https://a.example/feed', priority: 1 }]);
    for (let i = 0; i < 5; i++) {
      await s.transaction(async (tx) => {
        const r = await tx.upsertEntry('a', entryInput({ key: `k${i}`, publishedAt: T + i }), T);
        if (r.kind !== 'inserted') throw new Error('insert');
        await tx.assignStory(r.id, await tx.createStory(r.id));
      });
    }
    // Text keys in byte order on both engines ('B' < 'a' < 'b'), whatever PostgreSQL's collation says.
    expect((await s.exportRows('sources', null, 10)).map((r) => r.id)).toEqual(['B', 'a', 'b']);
    expect((await s.exportRows('sources', 'B', 1)).map((r) => r.id)).toEqual(['a']);
    expect((await s.exportRows('entries', 2, 2)).map((r) => r.id)).toEqual([3, 4]);
    expect((await s.exportRows('stories', 4, 10)).map((r) => r.id)).toEqual([5]);
    expect(await s.countRows('entries')).toBe(5);
    expect(await s.countRows('sources')).toBe(3);
  });

  it('imports rows with their ids, and new rows continue after the advanced counters', async () => {
    const src = await ctx.open();
    await src.syncSources([{ id: 'a', url: 'https://a.example/feed', priority: 0 }]);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      await src.transaction(async (tx) => {
        const r = await tx.upsertEntry('a', entryInput({ key: `k${i}`, title: `nul\u0000 ${i}`, publishedAt: T + i }), T);
        if (r.kind !== 'inserted') throw new Error('insert');
        ids.push(r.id);
        await tx.assignStory(r.id, await tx.createStory(r.id));
      });
    }
    const rows = { sources: await src.exportRows('sources', null, 100), stories: await src.exportRows('stories', null, 100), entries: await src.exportRows('entries', null, 100) };
    // The same engine's fresh database as the target: ids kept, counters moved past deleted ids too.
    const dst = await ctx.open();
    await dst.importRows('sources', rows.sources);
    await dst.importRows('stories', rows.stories.slice(1));
    await dst.importRows('entries', rows.entries.slice(1).map((e) => ({ ...e })));
    await dst.importRows('store_meta', [{ key: 'k', value: 'v1' }]);
    await dst.importRows('store_meta', [{ key: 'k', value: 'v2' }]);
    expect(await dst.exportRows('store_meta', null, 10)).toEqual([{ key: 'k', value: 'v2' }]);
    expect((await dst.exportRows('entries', null, 10)).map((e) => e.id)).toEqual([2, 3]);
    await dst.advanceIdCounters({ stories: 40, entries: 30 });
    expect(await dst.idCounters()).toEqual({ stories: 40, entries: 30 });
    const r = await dst.upsertEntry('a', entryInput({ key: 'new', publishedAt: T }), T);
    expect(r).toMatchObject({ kind: 'inserted', id: 31 });
    expect(await dst.createStory(31)).toBe(41);
    // Counters below the stored ids never move them back.
    await dst.advanceIdCounters({ stories: 0, entries: 0 });
    expect(await dst.idCounters()).toEqual({ stories: 41, entries: 31 });
  });

  it('copies the fetch history with its ids; new fetches on the target take ids past them', async () => {
    const src = await ctx.open();
    await src.syncSources([{ id: 'a', url: 'https://a.example/feed', priority: 0 }]);
    for (let i = 0; i < 4; i++) await src.recordSuccess('a', { at: T + i, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: T + 10, permanentRedirect: null, newEntries: i, durationMs: 10 + i });
    await src.recordFailure('a', { at: T + 4, kind: 'http-error', message: 'fetch: HTTP 500', httpStatus: 500, nextFetchAt: T + 10, permanentRedirect: null });
    expect((await src.exportRows('fetch_history', 2, 2)).map((r) => [r.id, r.newEntries])).toEqual([[3, 2], [4, 3]]);
    expect(await src.countRows('fetch_history')).toBe(5);
    const rows = await src.exportRows('fetch_history', null, 100);
    expect(rows[4]).toEqual({ id: 5, sourceId: 'a', fetchedAt: T + 4, outcome: 'error', httpStatus: 500, errorKind: 'http-error', newEntries: 0, updatedEntries: 0, durationMs: null });

    const [sources, history, counters] = [await src.exportRows('sources', null, 100), await src.fetchHistory(), await src.idCounters()];

    // (On PostgreSQL the target is the same database, emptied.)
    const dst = await ctx.open();
    await dst.importRows('sources', sources);
    await dst.importRows('fetch_history', rows);
    await dst.advanceIdCounters(counters);
    expect(await dst.fetchHistory()).toEqual(history);
    await dst.recordSuccess('a', { at: T + 5, httpStatus: 304, etag: null, lastModified: null, nextFetchAt: T + 10, permanentRedirect: null, notModified: true });
    expect((await dst.exportRows('fetch_history', 5, 10)).map((r) => [r.id, r.outcome])).toEqual([[6, 'not_modified']]);
  });
});
