// The top order of stories: its key (the first publication plus TOP_DOUBLING_MS per doubling of the outlets) kept by
// the database as stories gain and lose outlets, the listing by that key paged by keyset with every filter, and the
// migration that adds it filling in the key of the stories already stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres from 'postgres';
import { beforeEach, describe, expect, it } from 'vitest';
import { openStorage, TOP_DOUBLING_MS, type Storage, type StoryRow, type TopFilter, type TopKeyset } from '../../src/store/index.ts';
import { entryInput } from '../helpers/entries.ts';
import { eachEngine } from '../helpers/engines.ts';
import { createTestDatabase, PG_SKIP_REASON } from '../helpers/pg.ts';

const T = Date.UTC(2026, 4, 20, 12);
const HOUR = 3_600_000;
const OUTLETS = ['a', 'b', 'c', 'd', 'e'];

/** Stores one entry per outlet (the first starts the story, published at `at`) and returns the story's id. */
async function storyCoveredBy(store: Storage, key: string, outlets: readonly string[], at: number, terms: string[] = []): Promise<number> {
  let storyId: number | null = null;
  for (const [i, sourceId] of outlets.entries()) {
    const r = await store.upsertEntry(sourceId, entryInput({ key: `${key}-${i}`, publishedAt: at + i * 60_000 }), at);
    if (r.kind !== 'inserted') throw new Error('expected insert');
    await store.indexForSearch(r.id, terms);
    if (storyId === null) storyId = await store.startStory(r.id);
    else {
      await store.assignStory(r.id, storyId);
      await store.refreshStory(storyId, at);
    }
  }
  return storyId!;
}

eachEngine('top order', (ctx) => {
  let store: Storage;
  beforeEach(async () => {
    store = await ctx.open();
    await store.syncSources(OUTLETS.map((id) => ({ id, url: `https://${id}.example/feed`, priority: 0 })));
  });
  const topAt = async (id: number) => (await store.storyById(id))!.topAt;

  it('keys a story by its first publication plus 12 hours per doubling of its outlets, as outlets join and leave', async () => {
    const id = await storyCoveredBy(store, 's', ['a'], T);
    expect(await topAt(id)).toBe(T);
    // An outlet joining (here by recluster, which merges its story in): two outlets rank with a single-outlet story 12 hours newer.
    const other = await storyCoveredBy(store, 'x', ['b'], T);
    await store.applyClusters([{ storyId: id, entryIds: (await store.entriesOfStories([other])).map((e) => e.id) }], T);
    expect(await store.storyById(id)).toMatchObject({ sourcesCount: 2, topAt: T + 12 * HOUR });
    // A second entry of an outlet already counted changes nothing; four outlets are 24 hours.
    const more = await storyCoveredBy(store, 'y', ['a', 'c', 'd'], T + HOUR);
    await store.applyClusters([{ storyId: id, entryIds: (await store.entriesOfStories([more])).map((e) => e.id) }], T);
    expect(await store.storyById(id)).toMatchObject({ sourcesCount: 4, publishedAt: T, topAt: T + 24 * HOUR });
    // Outlets leaving (recluster splitting the story) lower it again.
    const split = (await store.entriesOfStories([id])).filter((e) => e.sourceId !== 'a').map((e) => e.id);
    await store.applyClusters([{ storyId: null, entryIds: split }], T);
    expect(await store.storyById(id)).toMatchObject({ sourcesCount: 1, topAt: T });
  });

  it('ranks a story of three outlets above a single-outlet one up to 19 hours newer, and below one much newer', async () => {
    const wide = await storyCoveredBy(store, 'wide', ['a', 'b', 'c'], T);
    const newer = await storyCoveredBy(store, 'newer', ['d'], T + 12 * HOUR);
    const newest = await storyCoveredBy(store, 'newest', ['e'], T + 24 * HOUR);
    // 12 h * log2(3) is 19 h 1 min: the three outlets outweigh 12 hours, not 24.
    expect(await topAt(wide)).toBe(T + Math.floor(TOP_DOUBLING_MS * Math.log2(3)));
    expect((await store.topStories({ limit: 10 })).map((s) => s.id)).toEqual([newest, wide, newer]);
    expect((await store.listStories({ limit: 10 })).map((s) => s.id)).toEqual([newest, newer, wide]);
  });

  describe('paging', () => {
    // 30 stories over two days, covered by 1 to 5 outlets; several share a key (same time, same outlets).
    async function fill(): Promise<StoryRow[]> {
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) {
        const outlets = OUTLETS.slice(0, 1 + ((i * 7) % 5));
        ids.push(await storyCoveredBy(store, `k${i}`, outlets, T + (i % 10) * 5 * HOUR, [i % 2 ? 'odd' : 'even']));
      }
      return Promise.all(ids.map(async (id) => (await store.storyById(id))!));
    }

    async function pagesOf(filter: Omit<TopFilter, 'limit' | 'after'>, limit: number): Promise<number[][]> {
      const pages: number[][] = [];
      let after: TopKeyset | null = null;
      for (;;) {
        const rows = await store.topStories({ ...filter, after, limit });
        if (!rows.length) return pages;
        pages.push(rows.map((r) => r.id));
        const last = rows[rows.length - 1]!;
        after = { topAt: last.topAt, id: last.id };
      }
    }

    const byTop = (a: StoryRow, b: StoryRow) => b.topAt - a.topAt || b.id - a.id;

    it.each([
      ['no filter', {}, () => true],
      ['min_sources', { minSources: 3 }, (s: StoryRow) => s.sourcesCount >= 3],
      ['since and until', { since: T + 10 * HOUR, until: T + 30 * HOUR }, (s: StoryRow) => s.publishedAt >= T + 10 * HOUR && s.publishedAt <= T + 30 * HOUR],
      ['an outlet', { coveredBy: [['d']] }, (s: StoryRow) => s.sourcesCount >= 4],
    ])('walks every story once, top first, with %s', async (_, filter: Omit<TopFilter, 'limit' | 'after'>, keep: (s: StoryRow) => boolean) => {
      const all = await fill();
      expect(new Set(all.map((s) => s.topAt)).size).toBeLessThan(all.length);
      const expected = all.filter(keep).sort(byTop).map((s) => s.id);
      expect(expected.length).toBeGreaterThan(4);
      const pages = await pagesOf(filter, 4);
      expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
      expect(pages.flat()).toEqual(expected);
    });

    it('walks the stories matching a search top first', async () => {
      const all = await fill();
      const odd = (await store.topStories({ terms: ['odd'], limit: 100 })).map((s) => s.id);
      const expected = all.filter((_, i) => i % 2 === 1).sort(byTop).map((s) => s.id);
      expect(odd).toEqual(expected);
      expect((await pagesOf({ terms: ['odd'] }, 3)).flat()).toEqual(expected);
    });
  });
});

// A database an older storywire migrated and filled: the migration adding the top key computes it for every story.
describe('the migration adding the top key', () => {
  const stories = [
    { id: 1, published: T, outlets: 1 },
    { id: 2, published: T - 20 * HOUR, outlets: 4 },
    { id: 3, published: T - 5 * HOUR, outlets: 2 },
    { id: 4, published: T - 10 * HOUR, outlets: 3 },
  ];
  const expectedKeys = stories.map((s) => ({ id: s.id, topAt: s.published + Math.floor(TOP_DOUBLING_MS * Math.log2(s.outlets)) }));
  // Keys T + 9 h 1 min, T + 7 h, T + 4 h and T: newest first would be 1, 3, 4, 2.
  const expectedOrder = [4, 3, 2, 1];
  const insertStories = stories.map((s) => `(${s.id}, 'Story ${s.id}', ${s.published}, ${s.published}, ${s.outlets}, ${s.outlets})`).join(', ');
  const STORIES_SQL = `INSERT INTO stories (id, title, published_at, updated_at, sources_count, entries_count) VALUES ${insertStories}`;

  /** The migrations of `folder` before the one adding the top key, with their journal times. */
  function earlierMigrations(folder: string) {
    const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.endsWith('_top_order'));
    expect(at).toBeGreaterThan(0);
    return readMigrationFiles({ migrationsFolder: folder }).slice(0, at);
  }

  async function checkKeys(store: Storage): Promise<void> {
    expect(await Promise.all(stories.map(async (s) => ({ id: s.id, topAt: (await store.storyById(s.id))!.topAt })))).toEqual(expectedKeys);
    expect((await store.topStories({ limit: 10 })).map((s) => s.id)).toEqual(expectedOrder);
  }

  it('fills in the key of stored stories [sqlite]', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-top-'));
    try {
      const file = path.join(dir, 'old.db');
      const raw = new Database(file);
      raw.exec('CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
      for (const m of earlierMigrations('drizzle/sqlite')) {
        for (const stmt of m.sql) raw.exec(stmt);
        raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(m.hash, m.folderMillis);
      }
      raw.exec(STORIES_SQL);
      raw.close();
      const store = await openStorage(file);
      try {
        await checkKeys(store);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(PG_SKIP_REASON !== null)(`fills in the key of stored stories [postgres]${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, async () => {
    const database = await createTestDatabase();
    const client = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      // As drizzle's migrator records what it applied: drizzle.__drizzle_migrations, created_at the journal's time.
      await client.unsafe('CREATE SCHEMA drizzle; CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)');
      for (const m of earlierMigrations('drizzle/pg')) {
        for (const stmt of m.sql) await client.unsafe(stmt);
        await client`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${m.hash}, ${m.folderMillis})`;
      }
      await client.unsafe(STORIES_SQL);
      const store = await openStorage(database.url);
      try {
        await checkKeys(store);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
