// Full-text search at the store, on both engines: every term must occur, an empty term list finds nothing, story
// search follows its entries, and the index is kept in step with the entries (ensure, rebuild, reindex since).
import { beforeEach, expect, it } from 'vitest';
import type { SearchAnalyzer, Storage } from '../../src/store/index.ts';
import { entryInput } from '../helpers/entries.ts';
import { eachEngine } from '../helpers/engines.ts';

const T = Date.UTC(2026, 4, 20, 12);
const words = (e: { title: string; summary: string }) => `${e.title} ${e.summary}`.toLowerCase().split(/\s+/).filter(Boolean);
const analyzer = (fingerprint: string, terms = words): SearchAnalyzer => ({ fingerprint, terms });

eachEngine('search', (ctx) => {
  let store: Storage;
  const ids: number[] = [];

  beforeEach(async () => {
    store = await ctx.open();
    ids.length = 0;
    await store.syncSources([{ id: 's', url: 'https://s.example/feed', priority: 0 }]);
    const items = [
      ['Flood in Kyiv', 'rivers rise'],
      ['Kyiv talks', 'ceasefire talks resume'],
      ["O'Brien's \\ back-slash", 'united_nations 3d5'],
      ['Market rally', 'flood of orders'],
    ];
    for (const [i, [title, summary]] of items.entries()) {
      const r = await store.upsertEntry('s', entryInput({ key: `k${i}`, title, summary, publishedAt: T + i * 1000 }), T);
      if (r.kind !== 'inserted') throw new Error('insert');
      await store.indexForSearch(r.id, words({ title: title!, summary: summary! }));
      await store.assignStory(r.id, await store.createStory(r.id));
      ids.push(r.id);
    }
  });

  const titles = async (terms: string[]) => (await store.listEntries({ terms, limit: 10 })).map((e) => e.title);

  it('requires every term, newest first', async () => {
    expect(await titles(['flood'])).toEqual(['Market rally', 'Flood in Kyiv']);
    expect(await titles(['kyiv', 'flood'])).toEqual(['Flood in Kyiv']);
    expect(await titles(['kyiv', 'market'])).toEqual([]);
    expect(await titles([])).toEqual([]);
    expect(await titles(['floo'])).toEqual([]);
  });

  it('matches terms holding quotes, backslashes and underscores exactly, and none of it as query syntax', async () => {
    expect(await titles(["o'brien's"])).toEqual(["O'Brien's \\ back-slash"]);
    expect(await titles(['united_nations', '3d5'])).toEqual(["O'Brien's \\ back-slash"]);
    expect(await titles(['a & b', '!x', ':*'])).toEqual([]);
  });

  it('reads a compound term as FTS5 does: each word finds it, and as a query it is a phrase of adjacent words', async () => {
    // united_nations is indexed as "united" then "nations" on both engines (a search for one word finds it)...
    expect(await titles(['nations'])).toEqual(["O'Brien's \\ back-slash"]);
    expect(await titles(['united'])).toEqual(["O'Brien's \\ back-slash"]);
    // ...and a compound query term wants its words next to each other, in order.
    expect(await titles(['rivers_rise'])).toEqual(['Flood in Kyiv']);
    expect(await titles(['rise_rivers'])).toEqual([]);
    expect(await titles(['flood_rivers'])).toEqual([]);
  });

  it('finds stories by their entries, and ranks them', async () => {
    expect((await store.listStories({ terms: ['talks'], limit: 10 })).map((s) => s.title)).toEqual(['Kyiv talks']);
    const ranked = await store.rankStories({ terms: ['kyiv'], offset: 0, limit: 10 });
    expect(ranked.map((s) => s.title).sort()).toEqual(['Flood in Kyiv', 'Kyiv talks']);
    expect(await store.rankStories({ terms: ['kyiv'], offset: 2, limit: 10 })).toEqual([]);
  });

  it('re-indexes an edited entry under its new terms', async () => {
    await store.indexForSearch(ids[0]!, ['drought']);
    expect(await titles(['flood'])).toEqual(['Market rally']);
    expect(await titles(['drought'])).toEqual(['Flood in Kyiv']);
  });

  it('builds the index once, says when it is current, and rebuilds on an analyzer change', async () => {
    expect((await store.ensureSearchIndex(analyzer('a'))).reason).toBe('never-built');
    expect(await store.ensureSearchIndex(analyzer('a'))).toMatchObject({ reason: 'current', indexed: 0 });
    const upper = analyzer('b', (e) => words(e).map((w) => `x${w}`));
    expect(await store.ensureSearchIndex(upper)).toMatchObject({ reason: 'analyzer-changed', indexed: 4 });
    expect(await titles(['xflood'])).toEqual(['Market rally', 'Flood in Kyiv']);
    expect(await titles(['flood'])).toEqual([]);
    expect(await store.rebuildSearchIndex(analyzer('a'))).toMatchObject({ reason: 'forced', indexed: 4 });
    expect(await titles(['flood'])).toEqual(['Market rally', 'Flood in Kyiv']);
    expect(await store.reindexChangedSince(upper, T)).toBe(4);
    expect(await store.reindexChangedSince(upper, T + 1)).toBe(0);
  });

  it('fills in entries stored without an index row', async () => {
    await store.ensureSearchIndex(analyzer('a'));
    const r = await store.upsertEntry('s', entryInput({ key: 'late', title: 'Late flood', summary: '', publishedAt: T + 9000 }), T);
    if (r.kind !== 'inserted') throw new Error('insert');
    await store.assignStory(r.id, await store.createStory(r.id));
    expect(await store.ensureSearchIndex(analyzer('a'))).toMatchObject({ reason: 'missing-rows', indexed: 1 });
    expect(await titles(['late'])).toEqual(['Late flood']);
  });
});
