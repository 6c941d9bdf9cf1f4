// Search listings at the store, on both engines, against a brute-force answer: whatever way the engine reads the index
// (SQLite reads the hits of a rare term directly and walks the newest rows for a frequent one, checking them against
// the newest hits and the index itself beyond those), every page, cursor and order is the one the data gives.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RANKED_MATCHES, type Keyset, type Storage, type StoryRow } from '../../src/store/index.ts';
import { NEWEST_HITS } from '../../src/store/sqlite/search.ts';
import { openStore } from '../../src/store/sqlite/open.ts';
import { SqliteStorage } from '../../src/store/sqlite/storage.ts';
import { entryInput } from '../helpers/entries.ts';
import { eachEngine } from '../helpers/engines.ts';

const T = Date.UTC(2026, 4, 20, 12);
const N = 150;

// Entry i holds "all", "third" when i % 3 == 0, "rare" for five entries, "old" for the four first stored, and
// "pair" + "third" together when i % 7 == 0. Publication times are shuffled, so id order is not time order.
function termsOf(i: number): string[] {
  const t = ['all', `w${i}`];
  if (i % 3 === 0) t.push('third');
  if ([5, 77, 130, 131, 149].includes(i)) t.push('rare');
  if (i < 4) t.push('old');
  if (i % 7 === 0) t.push('pair');
  return t;
}
const publishedOf = (i: number) => T + ((i * 97) % N) * 60_000;

/** Fills `store` with N entries in stories of one to three, and returns each entry's story id and terms by entry id. */
async function fill(store: Storage): Promise<Map<number, { storyId: number; terms: string[]; publishedAt: number }>> {
  await store.syncSources([{ id: 's', url: 'https://s.example/feed', priority: 0 }]);
  const byId = new Map<number, { storyId: number; terms: string[]; publishedAt: number }>();
  await store.transaction(async (tx) => {
    let story = 0;
    for (let i = 0; i < N; i++) {
      const terms = termsOf(i);
      const r = await tx.upsertEntry('s', entryInput({ key: `k${i}`, title: terms.join(' '), summary: '', publishedAt: publishedOf(i) }), T);
      if (r.kind !== 'inserted') throw new Error('insert');
      await tx.indexForSearch(r.id, terms);
      // A new story at every entry whose number is not 1 or 2 mod 4: stories of one, or of three entries.
      if (i % 4 === 0 || i % 4 === 3) story = await tx.createStory(r.id);
      await tx.assignStory(r.id, story);
      byId.set(r.id, { storyId: story, terms, publishedAt: publishedOf(i) });
    }
  });
  return byId;
}

const newestFirst = (a: { publishedAt: number; id: number }, b: { publishedAt: number; id: number }) => b.publishedAt - a.publishedAt || b.id - a.id;

eachEngine('search paging', (ctx) => {
  let store: Storage;
  let byId: Map<number, { storyId: number; terms: string[]; publishedAt: number }>;
  let allStories: StoryRow[];

  beforeEach(async () => {
    store = await ctx.open();
    byId = await fill(store);
    allStories = await store.listStories({ limit: N });
  });

  const matching = (terms: string[]) => [...byId].filter(([, e]) => terms.every((t) => e.terms.includes(t)));

  async function pagesOf<R extends { id: number; publishedAt: number }>(read: (after: Keyset | null, limit: number) => Promise<R[]>, limit: number): Promise<number[]> {
    const ids: number[] = [];
    let after: Keyset | null = null;
    for (;;) {
      const page = await read(after, limit);
      ids.push(...page.map((r) => r.id));
      if (page.length < limit) return ids;
      after = { publishedAt: page.at(-1)!.publishedAt, id: page.at(-1)!.id };
    }
  }

  const TERMS = [['all'], ['third'], ['rare'], ['old'], ['pair', 'third'], ['w17'], ['nowhere']];

  it('lists the stories matching every term page by page, newest first, whatever the page size', async () => {
    for (const terms of TERMS) {
      const stories = new Set(matching(terms).map(([, e]) => e.storyId));
      const expected = allStories.filter((s) => stories.has(s.id)).map((s) => s.id);
      if (terms[0] !== 'nowhere') expect(expected.length).toBeGreaterThan(0);
      for (const limit of [3, 20, N]) expect(await pagesOf((after, l) => store.listStories({ terms, after, limit: l }), limit), `${terms} by ${limit}`).toEqual(expected);
    }
  });

  it('lists the entries matching every term page by page, newest first, whatever the page size', async () => {
    for (const terms of TERMS) {
      const expected = matching(terms)
        .map(([id, e]) => ({ id, publishedAt: e.publishedAt }))
        .sort(newestFirst)
        .map((e) => e.id);
      for (const limit of [3, 20, N]) expect(await pagesOf((after, l) => store.listEntries({ terms, after, limit: l }), limit), `${terms} by ${limit}`).toEqual(expected);
    }
  });

  it('applies the other story filters together with the terms', async () => {
    const stories = new Set(matching(['third']).map(([, e]) => e.storyId));
    const since = T + 100 * 60_000;
    const expected = allStories.filter((s) => stories.has(s.id) && s.publishedAt >= since).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(stories.size);
    for (const limit of [2, N]) expect(await pagesOf((after, l) => store.listStories({ terms: ['third'], since, after, limit: l }), limit)).toEqual(expected);
  });

  it('ranks by relevance only the newest RANKED_MATCHES matching entries', async () => {
    // The best match (the term three times) is stored first; then RANKED_MATCHES newer entries hold the term once.
    const best = (await store.rankStories({ terms: ['pair'], offset: 0, limit: 1 }))[0]!;
    const first = await store.upsertEntry('s', entryInput({ key: 'best', title: 'scarce scarce scarce', summary: '', publishedAt: T }), T);
    if (first.kind !== 'inserted') throw new Error('insert');
    await store.indexForSearch(first.id, ['scarce', 'scarce', 'scarce']);
    await store.assignStory(first.id, best.id);
    expect((await store.rankStories({ terms: ['scarce'], offset: 0, limit: 5 })).map((s) => s.id)).toEqual([best.id]);
    await store.transaction(async (tx) => {
      for (let i = 0; i < RANKED_MATCHES; i++) {
        const r = await tx.upsertEntry('s', entryInput({ key: `filler${i}`, title: 'scarce filler', summary: '', publishedAt: T }), T);
        if (r.kind !== 'inserted') throw new Error('insert');
        await tx.indexForSearch(r.id, ['scarce', 'filler', 'words', 'here']);
      }
    });
    // The fillers belong to no story, so nothing ranks: the best entry is beyond the newest RANKED_MATCHES.
    expect(await store.rankStories({ terms: ['scarce'], offset: 0, limit: 5 })).toEqual([]);
    expect((await store.listStories({ terms: ['scarce'], limit: 5 })).map((s) => s.id)).toEqual([best.id]);
  });
});

// SQLite only: a term with more than NEWEST_HITS hits is checked against the newest NEWEST_HITS hits as a set, and
// older rows against the index itself. Index rows of entries that do not exist make the term that frequent cheaply.
describe('search paging beyond the newest hits [sqlite]', () => {
  let store: SqliteStorage;
  let byId: Map<number, { storyId: number; terms: string[]; publishedAt: number }>;
  beforeAll(async () => {
    const db = openStore(':memory:');
    store = new SqliteStorage(db);
    byId = await fill(store);
    const add = db.sqlite.prepare('INSERT INTO entries_fts (rowid, terms) VALUES (?, ?)');
    db.sqlite.transaction(() => {
      for (let i = 1; i <= NEWEST_HITS; i++) add.run(1_000_000 + i, 'third all');
    })();
  });
  afterAll(() => store.close());

  it('still finds the stored entries, which are all older than the newest hits', async () => {
    const third = [...byId].filter(([, e]) => e.terms.includes('third'));
    const entries = third.map(([id, e]) => ({ id, publishedAt: e.publishedAt })).sort(newestFirst).map((e) => e.id);
    expect((await store.listEntries({ terms: ['third'], limit: N })).map((e) => e.id)).toEqual(entries);
    expect((await store.listEntries({ terms: ['third'], limit: 2 })).map((e) => e.id)).toEqual(entries.slice(0, 2));
    const stories = new Set(third.map(([, e]) => e.storyId));
    const all = await store.listStories({ limit: N });
    expect((await store.listStories({ terms: ['third'], limit: 3 })).map((s) => s.id)).toEqual(all.filter((s) => stories.has(s.id)).slice(0, 3).map((s) => s.id));
  });
});
