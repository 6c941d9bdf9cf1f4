// Acceptance: the same feeds, polled by the real runtime with the same clock into SQLite and into PostgreSQL, give the
// same stored rows (ids, titles, story membership, times) and byte-identical answers on every HTTP route: the JSON API
// with its cursors, search and relevance, the published feeds in every format, and the web pages. Then copy-db
// SQLite -> PostgreSQL and PostgreSQL -> SQLite, and each copy answers exactly as its source did.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyDatabase } from '../../src/cli/copy-db.ts';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { loadAliases } from '../../src/stories/index.ts';
import { COPY_TABLES, openStorage, type CopyRows, type CopyTable } from '../../src/store/index.ts';
import { rss, type TestItem } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { createTestDatabase, PG_SKIP_REASON, type TestDatabase } from '../helpers/pg.ts';

const NOW = Date.UTC(2026, 4, 20, 14);
const LATER = NOW + 20 * 60_000;
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toUTCString();

/** The outlets' feeds at the first poll: overlapping stories, ties in time, a duplicate guid, non-ASCII titles. */
function feeds(edited: boolean): Record<string, TestItem[]> {
  return {
    alpha: [
      { title: 'Parliament approves new budget after long debate', link: 'https://alpha.example/budget', guid: 'a1', description: 'The budget passed by 301 votes to 250, officials said; the Supreme Court may yet rule on it.', pubDate: at(90) },
      { title: 'Storm closes northern ports', link: 'https://alpha.example/storm', guid: 'a2', description: 'Ferries stay in port as the storm nears, officials said.', pubDate: at(60) },
      edited
        ? { title: 'Central bank holds rates steady amid inflation worries', link: 'https://alpha.example/rates', guid: 'a3', description: 'Rates unchanged; the governor warns of inflation.', pubDate: at(30) }
        : { title: 'Central bank holds rates', link: 'https://alpha.example/rates', guid: 'a3', description: 'Rates unchanged.', pubDate: at(30) },
      // Same publication time as a2: the id breaks the tie.
      { title: 'Museum reopens after renovation', link: 'https://alpha.example/museum', guid: 'a4', description: 'Visitors return to the museum, officials said.', pubDate: at(60) },
      ...(edited ? [{ title: 'Rail strike ends after pay deal', link: 'https://alpha.example/rail', guid: 'a5', description: 'Trains run again tomorrow, rail officials said.', pubDate: at(5) }] : []),
    ],
    beta: [
      { title: 'Budget approved by parliament after long debate', link: 'https://beta.example/news/budget', guid: 'b1', description: 'Lawmakers approved the budget late on Tuesday.', pubDate: at(85) },
      { title: 'Zelenskyy meets UN envoy in Kiev', link: 'https://beta.example/news/envoy', guid: 'b2', description: 'Talks on the grain corridor continue, officials said.', pubDate: at(45) },
      // Two items with one guid: the feed's mistake, stored as the feed's first occurrence says.
      { title: 'Flood waters rise in the valley', link: 'https://beta.example/news/flood', guid: 'b-dup', description: 'Villages are evacuated, officials said; officials fear more rain.', pubDate: at(40) },
      { title: 'Flood waters recede in the valley', link: 'https://beta.example/news/flood-2', guid: 'b-dup', description: 'Villagers return home.', pubDate: at(20) },
    ],
    gamma: [
      { title: 'Storm closes ports in the north', link: 'https://gamma.example/storm', guid: 'g1', description: 'Ports stay shut as the storm nears the coast.', pubDate: at(58) },
      { title: 'Zürich: Ärztinnen streiken — Spitäler im Notbetrieb', link: 'https://gamma.example/zuerich', guid: 'g2', description: 'Die Ärztinnen fordern mehr Personal.', pubDate: at(50) },
      { title: 'Parliament approves budget', link: 'https://gamma.example/budget', guid: 'g3', description: 'The new budget passed after a long debate.', pubDate: at(80) },
    ],
    delta: [
      { title: 'Zelensky meets UN envoy in Kyiv', link: 'https://delta.example/envoy', guid: 'd1', description: 'Grain corridor talks go on.', pubDate: at(44) },
      { title: '東京で大雨 — 交通機関に乱れ', link: 'https://delta.example/tokyo', guid: 'd2', description: '大雨の影響で電車が遅れています。', pubDate: at(35) },
      { title: 'Ελλάδα: πλημμύρες στη Θεσσαλία', link: 'https://delta.example/greece', guid: 'd3', description: 'Πλημμύρες μετά τις βροχές.', pubDate: at(35) },
      { title: 'Émile Zola exhibition opens in Paris', link: 'https://delta.example/zola', guid: 'd4', description: 'An exhibition about Émile Zola.', pubDate: at(25) },
    ],
  };
}

let server: FixtureServer;
let dir: string;

function serve(edited: boolean): void {
  for (const [id, items] of Object.entries(feeds(edited))) server.route(`/${id}.xml`, { headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' }, body: rss(`${id} news`, items) });
}

function config(): Config {
  return parseConfig(
    JSON.stringify({
      // One source at a time: which outlet's entries arrive first (and get the lower ids) must not depend on the network.
      settings: { timeout: '5s', concurrency: 1, publicUrl: 'https://wire.example' },
      sources: [
        { id: 'alpha', url: server.url('/alpha.xml'), tags: ['europe'], priority: 2 },
        { id: 'beta', url: server.url('/beta.xml'), tags: ['world'] },
        { id: 'gamma', url: server.url('/gamma.xml'), tags: ['europe'], priority: 1 },
        { id: 'delta', url: server.url('/delta.xml'), tags: ['world', 'europe'] },
      ],
      feeds: [
        { slug: 'europe', title: 'Europe', tags: ['europe'] },
        { slug: 'ukraine', title: 'Ukraine', include: ['Kyiv', 'Zelensky'] },
        { slug: 'weather', title: 'Weather', include: ['storm', 'flood'], minSources: 1 },
      ],
    }),
    'feeds.json',
  );
}

/** Two polls with the same clock: the first, then one where an item was edited and another added. */
async function pollInto(db: string): Promise<void> {
  serve(false);
  // The next poll time's jitter is the runtime's one random input: fixed, like the clock, so both engines get the same.
  const random = vi.spyOn(Math, 'random').mockReturnValue(0.25);
  let clock = NOW;
  const runtime = await openRuntime(config(), db, silentLogger(), () => clock);
  try {
    await runtime.poll();
    serve(true);
    clock = LATER;
    await runtime.poll();
  } finally {
    await runtime.close();
    random.mockRestore();
  }
}

const REQUESTS = [
  '/api/stories?limit=3',
  '/api/stories?limit=100',
  '/api/stories?limit=2&source=beta',
  '/api/stories?limit=2&tag=world',
  '/api/stories?limit=2&min_sources=2',
  '/api/stories?limit=2&feed=europe',
  '/api/stories?limit=2&since=2026-05-20T13:00:00Z&until=2026-05-20T13:40:00Z',
  '/api/stories?limit=2&q=budget',
  '/api/stories?limit=2&q=kyiv',
  // "Supreme Court" is the compound term supreme_court: one of its words finds it, as on SQLite.
  '/api/stories?limit=2&q=court',
  '/api/entries?limit=3&q=supreme%20court',
  '/api/stories?limit=2&q=z%C3%BCrich',
  '/api/stories?limit=2&q=%E6%9D%B1%E4%BA%AC',
  '/api/stories?limit=2&q=budget&sort=relevance',
  '/api/stories?limit=2&q=storm%20ports&sort=relevance',
  '/api/stories?limit=1&q=officials&sort=relevance',
  '/api/stories?limit=2&q=officials',
  '/api/entries?limit=4',
  '/api/entries?limit=3&q=flood',
  '/api/entries?limit=2&source=delta&source=gamma',
  '/api/sources',
  '/api/stories/999',
  ...['all', 'europe', 'ukraine', 'weather'].flatMap((slug) => ['rss', 'atom', 'json'].map((f) => `/feeds/${slug}.${f}`)),
  '/',
  '/?q=budget',
  '/feeds/europe',
  '/sources',
  '/sources.opml',
];

/** One answer as a client sees it: status, headers and body. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Every answer of a runtime on `db`: REQUESTS (next pages followed), and each story's API answer and page. */
async function answers(db: string): Promise<Record<string, Answer[]>> {
  const runtime: Runtime = await openRuntime(config(), db, silentLogger(), () => LATER);
  try {
    const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (t) => runtime.assigner.terms(t), publisher: runtime.publisher, responseCache: runtime.responseCache, now: () => LATER });
    const stories = (await runtime.store.listStories({ limit: 1000 })).map((s) => s.id);
    expect(stories.length).toBeGreaterThan(8);
    const out: Record<string, Answer[]> = {};
    for (const first of [...REQUESTS, ...stories.flatMap((id) => [`/api/stories/${id}`, `/stories/${id}`])]) {
      const pages: Answer[] = (out[first] = []);
      for (let url: string | null = first; url; ) {
        const res = await app.request(url);
        const body = await res.text();
        pages.push({ status: res.status, headers: Object.fromEntries(res.headers), body });
        url = nextPage(first, res.headers.get('content-type') ?? '', body);
        if (pages.length > 50) throw new Error(`${first}: too many pages`);
      }
    }
    return out;
  } finally {
    await runtime.close();
  }
}

// The next page: the API's next_cursor, or the web page's link to older stories.
function nextPage(first: string, type: string, body: string): string | null {
  if (type.includes('application/json') && first.startsWith('/api/')) {
    const next = (JSON.parse(body) as { next_cursor?: string | null }).next_cursor;
    return next ? `${first}&cursor=${encodeURIComponent(next)}` : null;
  }
  if (type.includes('text/html')) {
    const link = /href="([^"]*[?&](?:amp;)?cursor=[^"]*)"/.exec(body)?.[1];
    return link ? link.replace(/&amp;/g, '&') : null;
  }
  return null;
}

/** Every stored row of every copied table, and the id counters. */
async function stored(db: string) {
  const s = await openStorage(db, { readonly: true });
  try {
    const rows = {} as Record<CopyTable, unknown[]>;
    for (const table of COPY_TABLES) rows[table] = await s.exportRows(table, null, 100_000);
    return { rows, counters: await s.idCounters() };
  } finally {
    await s.close();
  }
}

// The one engine-dependent value: store_meta's search_index record names the newest migration of the engine's own
// migrations (drizzle/sqlite or drizzle/pg, different files with different hashes), so a schema change rebuilds the index.
function withoutIndexSchema(rows: unknown[]): unknown[] {
  return rows.map((r) => {
    const row = r as { key?: string; value?: string };
    if (row.key !== 'search_index') return r;
    const { schema, ...rest } = JSON.parse(row.value!) as { schema: string };
    expect(schema).toMatch(/^[0-9a-f]{64}$/);
    return { ...row, value: rest };
  });
}

// Fetch history rows are numbered in the order fetches end, which concurrent fetches do not fix (only storing entries
// waits for the source's turn): each source's rows are compared, in time order, without their ids.
function bySourceAndTime(rows: unknown[]): unknown[] {
  const fetches = (rows as CopyRows['fetch_history'][]).map(({ id: _id, ...rest }) => rest);
  return fetches.sort((x, y) => (x.sourceId < y.sourceId ? -1 : x.sourceId > y.sourceId ? 1 : x.fetchedAt - y.fetchedAt));
}

// The one engine-dependent answer: the order of `sort=relevance`. SQLite scores with FTS5's bm25 (term frequency,
// document length in tokens, idf); PostgreSQL with ts_rank over a tsvector of the distinct terms (no positions, so no
// term frequency). The same stories match, pages have the same sizes and every story reads the same; only their order
// within the ranking may differ, so these answers are compared as the set of stories across all pages.
function comparable(url: string, pages: Answer[] | undefined): unknown {
  if (!pages || !url.includes('sort=relevance')) return pages;
  const stories = pages.flatMap((p) => (JSON.parse(p.body) as { stories: { id: number }[] }).stories);
  return {
    statuses: pages.map((p) => p.status),
    sizes: pages.map((p) => (JSON.parse(p.body) as { stories: unknown[] }).stories.length),
    stories: stories.sort((a, b) => a.id - b.id),
  };
}

describe.skipIf(PG_SKIP_REASON !== null)(`the same feeds polled into SQLite and PostgreSQL${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  let pg: TestDatabase;
  let pgCopy: TestDatabase;
  let sqlite: string;
  let sqliteAnswers: Record<string, Answer[]>;

  beforeAll(async () => {
    server = await startFixtureServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-acceptance-'));
    // Databases whose default collation is ICU's en-US, not C: text must sort the same as on SQLite wherever order shows.
    [pg, pgCopy] = await Promise.all([createTestDatabase({ icuLocale: 'en-US' }), createTestDatabase({ icuLocale: 'en-US' })]);
    sqlite = path.join(dir, 'polled.db');
    await pollInto(sqlite);
    await pollInto(pg.url);
    sqliteAnswers = await answers(sqlite);
  });
  afterAll(async () => {
    await server?.close();
    await pg?.drop();
    await pgCopy?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores the same rows: ids, titles, story membership, times, poll state, id counters', async () => {
    const [a, b] = [await stored(sqlite), await stored(pg.url)];
    const entries = a.rows.entries as { title: string; storyId: number }[];
    // The feeds did what the test is about: an edit, a duplicate guid, non-ASCII titles, stories of several outlets.
    expect(entries.map((e) => e.title)).toEqual(expect.arrayContaining(['Central bank holds rates steady amid inflation worries', '東京で大雨 — 交通機関に乱れ', 'Rail strike ends after pay deal']));
    expect(entries.filter((e) => e.title.startsWith('Flood waters'))).toHaveLength(1);
    expect(new Set(entries.map((e) => e.storyId)).size).toBeLessThan(entries.length - 2);
    for (const table of COPY_TABLES) {
      if (table === 'fetch_history') expect(bySourceAndTime(b.rows[table]), table).toEqual(bySourceAndTime(a.rows[table]));
      else expect(withoutIndexSchema(b.rows[table]), table).toEqual(withoutIndexSchema(a.rows[table]));
    }
    expect(a.rows.fetch_history.length).toBeGreaterThan(0);
    expect(b.counters).toEqual(a.counters);
  });

  it('answers every route byte for byte the same', async () => {
    const pgAnswers = await answers(pg.url);
    expect(Object.keys(pgAnswers)).toEqual(Object.keys(sqliteAnswers));
    for (const [url, pages] of Object.entries(sqliteAnswers)) expect(comparable(url, pgAnswers[url]), url).toEqual(comparable(url, pages));
    // The answers are worth comparing: pages were followed, searches and feeds found something.
    expect(sqliteAnswers['/api/stories?limit=3']!.length).toBeGreaterThan(2);
    expect(sqliteAnswers['/api/stories?limit=1&q=officials&sort=relevance']!.length).toBeGreaterThan(3);
    expect(JSON.parse(sqliteAnswers['/api/stories?limit=2&q=kyiv']![0]!.body).stories).toHaveLength(1);
    expect(JSON.parse(sqliteAnswers['/api/stories?limit=2&q=court']![0]!.body).stories).toHaveLength(1);
    expect(JSON.parse(sqliteAnswers['/api/stories?limit=2&q=z%C3%BCrich']![0]!.body).stories).toHaveLength(1);
    expect(sqliteAnswers['/feeds/weather.rss']![0]!.body).toContain('Storm closes');
  });

  it('copies SQLite -> PostgreSQL and PostgreSQL -> SQLite, each copy answering exactly as before', async () => {
    const quiet = { write: () => true, isTTY: false };
    const aliases = loadAliases();
    const back = path.join(dir, 'from-pg.db');
    expect(await copyDatabase(sqlite, pgCopy.url, { aliases, batch: 5, progress: quiet, out: () => {} })).toBe(0);
    expect(await copyDatabase(pg.url, back, { aliases, batch: 5, progress: quiet, out: () => {} })).toBe(0);
    for (const copy of [pgCopy.url, back]) {
      const got = await answers(copy);
      for (const [url, pages] of Object.entries(sqliteAnswers)) expect(comparable(url, got[url]), `${copy}: ${url}`).toEqual(comparable(url, pages));
    }
  });
});
