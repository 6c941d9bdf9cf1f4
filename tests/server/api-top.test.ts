// GET /api/stories?sort=top: stories ranked by outlets weighted by recency, paged by keyset with every filter, and
// cursors that belong to one sort only.
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import type { Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const aliases = loadAliases();
const T = Date.UTC(2026, 4, 20, 12);
const HOUR = 3_600_000;
const config = parseConfig(
  JSON.stringify({
    sources: [
      { id: 'a', url: 'https://a.example/feed', tags: ['europe'] },
      { id: 'b', url: 'https://b.example/feed', tags: ['europe'] },
      { id: 'c', url: 'https://c.example/feed', tags: ['asia'] },
      { id: 'd', url: 'https://d.example/feed', tags: ['asia'] },
    ],
    feeds: [{ slug: 'storms', title: 'Storms', include: ['storm'] }],
  }),
  'feeds.json',
);

eachEngine('GET /api/stories?sort=top', (ctx) => {
  let store: Storage;
  let app: ReturnType<typeof createApp>;

  /** A story first published at `at` by the first outlet, then covered by the others a minute apart each. */
  async function story(title: string, outlets: string[], at: number): Promise<number> {
    let id: number | null = null;
    for (const [i, sourceId] of outlets.entries()) {
      const r = await store.upsertEntry(sourceId, entryInput({ key: `${title}-${i}`, title, publishedAt: at + i * 60_000 }), at);
      if (r.kind !== 'inserted') throw new Error('insert failed');
      await store.indexForSearch(r.id, normalizeForMatch(title, aliases));
      id ??= await store.createStory(r.id);
      await store.assignStory(r.id, id);
      await store.refreshStory(id, at);
    }
    return id!;
  }

  async function get(path: string) {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as any };
  }
  const ids = async (path: string) => (await get(path)).body.stories.map((s: any) => s.id);

  beforeEach(async () => {
    store = await ctx.open();
    await store.syncSources(config.sources);
    app = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (text) => normalizeForMatch(text, aliases), publisher: createPublisher(store, () => config, () => aliases) });
  });

  it('ranks a story of three outlets above a single-outlet one 12 hours newer, and below one 24 hours newer', async () => {
    const wide = await story('Summit agrees on grain corridor', ['a', 'b', 'c'], T);
    const newer = await story('Rail strike called off', ['d'], T + 12 * HOUR);
    const newest = await story('Storm floods coastal towns', ['d'], T + 24 * HOUR);
    expect(await ids('/api/stories?sort=top')).toEqual([newest, wide, newer]);
    expect(await ids('/api/stories')).toEqual([newest, newer, wide]);
    expect(await ids('/api/stories?sort=newest')).toEqual([newest, newer, wide]);
  });

  describe('paging', () => {
    // 26 stories over two days by 1 to 4 outlets, several with the same key (same time, same number of outlets).
    async function fill(): Promise<void> {
      const outlets = ['a', 'b', 'c', 'd'];
      for (let i = 0; i < 26; i++) {
        const title = `${i % 3 ? 'Storm' : 'Election'} report number ${i}`;
        await story(title, i % 2 ? outlets.slice(0, 1 + (i % 4)) : outlets.slice(4 - (1 + ((i * 3) % 4))), T + (i % 8) * 6 * HOUR);
      }
    }

    async function walk(query: string, limit: number): Promise<{ pages: number; ids: number[] }> {
      const seen: number[] = [];
      let pages = 0;
      let cursor: string | null = null;
      do {
        const { status, body } = await get(`/api/stories?sort=top&limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(status).toBe(200);
        seen.push(...body.stories.map((s: any) => s.id));
        cursor = body.next_cursor;
        pages++;
      } while (cursor);
      return { pages, ids: seen };
    }

    it.each([
      ['no filter', ''],
      ['min_sources', 'min_sources=2'],
      ['source', 'source=c'],
      ['tag', 'tag=asia'],
      ['since and until', `since=${new Date(T + 6 * HOUR).toISOString()}&until=${new Date(T + 30 * HOUR).toISOString()}`],
      ['q', 'q=election'],
      ['a curated feed (terms matched after reading)', 'feed=storms'],
      ['several filters', 'feed=storms&min_sources=2&tag=europe'],
    ])('pages over %s without repeating or skipping a story, in the order of one long page', async (_, query) => {
      await fill();
      const whole = await ids(`/api/stories?sort=top&limit=100&${query}`);
      expect(whole.length).toBeGreaterThan(3);
      const paged = await walk(query, 3);
      expect(paged.pages).toBeGreaterThan(1);
      expect(paged.ids).toEqual(whole);
    });

    it('orders the long page by the top key, and every filter narrows it', async () => {
      await fill();
      const top = (await get('/api/stories?sort=top&limit=100')).body.stories;
      expect(top).toHaveLength(26);
      const key = (s: any) => Date.parse(s.published_at) + 12 * HOUR * Math.log2(s.sources_count);
      for (let i = 1; i < top.length; i++) expect(key(top[i - 1]) - key(top[i])).toBeGreaterThanOrEqual(-1);
      expect(top.map((s: any) => s.id)).not.toEqual((await get('/api/stories?limit=100')).body.stories.map((s: any) => s.id));
      const wide = (await get('/api/stories?sort=top&limit=100&min_sources=3')).body.stories;
      expect(wide.every((s: any) => s.sources_count >= 3)).toBe(true);
      expect(wide.map((s: any) => s.id)).toEqual(top.filter((s: any) => s.sources_count >= 3).map((s: any) => s.id));
    });
  });

  describe('cursors', () => {
    beforeEach(async () => {
      for (let i = 0; i < 3; i++) await story(`Storm update ${i}`, ['a'], T + i * HOUR);
    });
    const cursorOf = async (query: string) => (await get(`/api/stories?limit=1&${query}`)).body.next_cursor as string;

    it.each([
      ['a top cursor with the default sort', 'sort=top', '', /^cursor: a cursor of sort=top, not of this list \(sort=newest\)/],
      ['a newest cursor with sort=top', '', 'sort=top', /^cursor: a cursor of sort=newest, not of this list \(sort=top\)/],
      ['a relevance cursor with sort=top', 'q=storm&sort=relevance', 'sort=top', /^cursor: a cursor of sort=relevance, not of this list \(sort=top\)/],
      ['a top cursor with sort=relevance', 'sort=top', 'q=storm&sort=relevance', /^cursor: a cursor of sort=top, not of this list \(sort=relevance\)/],
    ])('refuses %s with a 400 that says so', async (_, from, to, message) => {
      const cursor = await cursorOf(from);
      expect(cursor).toBeTruthy();
      const { status, body } = await get(`/api/stories?limit=1&${to}&cursor=${cursor}`);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'invalid_parameter', message: expect.stringMatching(message) });
    });

    it('refuses a top cursor for entries, and a damaged one', async () => {
      const cursor = await cursorOf('sort=top');
      expect((await get(`/api/entries?cursor=${cursor}`)).body.error.message).toMatch(/^cursor: a cursor of sort=top/);
      const damaged = Buffer.from('t1:12:x').toString('base64url');
      expect((await get(`/api/stories?sort=top&cursor=${damaged}`)).body.error.message).toBe('cursor: not a cursor this API returned for sort=top');
    });

    it('refuses cursors whose id or key is out of range with a 400, on both engines', async () => {
      for (const [prefix, query] of [['t1', 'sort=top'], ['v1', ''], ['v1', 'entries']] as const) {
        for (const position of ['0:99999999999', '0:2147483648', '99999999999999999:1']) {
          const cursor = Buffer.from(`${prefix}:${position}`).toString('base64url');
          const url = query === 'entries' ? `/api/entries?cursor=${cursor}` : `/api/stories?${query}&cursor=${cursor}`;
          const { status, body } = await get(url);
          expect(status, `${url} (${position})`).toBe(400);
          expect(body.error.code).toBe('invalid_parameter');
        }
      }
    });

    it('names top among the sorts', async () => {
      expect((await get('/api/stories?sort=popular')).body.error.message).toBe('sort: must be "newest", "top" or "relevance"');
    });
  });
});
