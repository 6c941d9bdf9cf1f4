// storywire copy-db: a database filled by a real poll of local feeds is copied SQLite -> PostgreSQL -> SQLite (and
// SQLite -> SQLite), and every copy answers the API exactly as its source: same stories, ids, order, cursors, search.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/dispatch.ts';
import { copyDatabase } from '../../src/cli/copy-db.ts';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { OperatorError } from '../../src/lib/operator-error.ts';
import { createPublisher, openRuntime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import { openStorage, type Storage } from '../../src/store/index.ts';
import { rss, type TestItem } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { createTestDatabase, PG_SKIP_REASON, type TestDatabase } from '../helpers/pg.ts';

const aliases = loadAliases();
const NOW = Date.UTC(2026, 4, 20, 14);
const quiet = { write: () => true, isTTY: false };

let server: FixtureServer;
let dir: string;

const LATER = ['Harvest festival draws record crowds', 'Rail strike ends after pay deal', 'Volcano erupts near island resort', 'Chess prodigy wins national title'];
const TOPICS = ['Parliament approves new budget', 'Storm closes northern ports', 'Zelenskyy meets UN envoy in Kiev', 'Central bank holds rates', 'Flood waters rise in the valley', 'Court blocks strike vote'];

/** Items of one outlet: most topics reported by several outlets (so stories hold several entries), plus its own. */
function items(outlet: string, n: number, extra = ''): TestItem[] {
  return Array.from({ length: n }, (_, i) => ({
    // A later poll (extra) reports other events, so it starts new stories.
    title: extra ? `${LATER[i % LATER.length]} ${i}${extra}` : i < TOPICS.length ? TOPICS[i]! : `${outlet} local report ${i}`,
    link: `https://${outlet}.example/${i}${encodeURIComponent(extra)}`,
    guid: `${outlet}-${i}${extra}`,
    description: `${outlet} coverage ${i}: talks continue${extra}`,
    pubDate: new Date(NOW - (i * 17 + outlet.length) * 60_000).toUTCString(),
  }));
}

function config(): Config {
  return parseConfig(
    JSON.stringify({
      settings: { timeout: '2s' },
      sources: ['alpha', 'beta', 'gamma'].map((id) => ({ id, url: server.url(`/${id}.xml`), tags: [id === 'beta' ? 'asia' : 'europe'] })),
      feeds: [{ slug: 'europe', title: 'Europe', tags: ['europe'] }],
    }),
    'feeds.json',
  );
}

function serve(extra = '') {
  for (const [id, n] of [['alpha', 12], ['beta', 9], ['gamma', 7]] as const) server.route(`/${id}.xml`, { headers: { 'Content-Type': 'application/rss+xml' }, body: rss(id, items(id, n, extra)) });
}

/** Polls the configured feeds once into `db`. */
async function poll(db: string, at: number): Promise<void> {
  const runtime = await openRuntime(config(), db, silentLogger(), () => at);
  try {
    await runtime.poll();
  } finally {
    await runtime.close();
  }
}

const REQUESTS = [
  '/api/stories?limit=4',
  '/api/stories?limit=50',
  '/api/stories?limit=3&source=beta',
  '/api/stories?limit=3&min_sources=2',
  '/api/stories?limit=3&q=talks',
  '/api/stories?limit=3&q=kyiv',
  '/api/stories?limit=3&feed=europe',
  '/api/entries?limit=5',
  '/api/entries?limit=4&q=storm',
  '/api/sources',
  '/api/stories/1',
  '/feeds/europe.json',
];

/** Every answer to REQUESTS, following next_cursor to the last page. */
async function answers(store: Storage): Promise<Record<string, unknown[]>> {
  const cfg = config();
  const app = createApp({ store, config: () => cfg, log: silentLogger(), now: () => NOW + 7_200_000, searchTerms: (t) => normalizeForMatch(t, aliases), publisher: createPublisher(store, () => cfg, () => aliases) });
  const out: Record<string, unknown[]> = {};
  for (const p of REQUESTS) {
    const list: unknown[] = (out[p] = []);
    let url: string | null = p;
    while (url) {
      const res = await app.request(url);
      const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
      list.push({ status: res.status, body });
      const next = (body as { next_cursor?: string | null }).next_cursor;
      url = next ? `${p}${p.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(next)}` : null;
      if (list.length > 100) throw new Error(`${p}: too many pages`);
    }
  }
  return out;
}

/** Opens `db` read-only, runs `fn`, closes it. */
async function withStore<T>(db: string, fn: (s: Storage) => Promise<T>): Promise<T> {
  const s = await openStorage(db, { readonly: true });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  server = await startFixtureServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-copydb-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('copy-db SQLite -> SQLite', () => {
  it('copies a polled database with its ids, search index and id counters; refuses to copy over it again', async () => {
    serve();
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    await poll(a, NOW);
    const before = await withStore(a, answers);
    expect((before['/api/stories?limit=50']![0] as { body: { stories: unknown[] } }).body.stories.length).toBeGreaterThan(5);
    expect(await copyDatabase(a, b, { aliases, progress: quiet, out: () => {} })).toBe(0);
    expect(await withStore(b, answers)).toEqual(before);
    const counters = await withStore(a, (s) => s.idCounters());
    expect(await withStore(b, (s) => s.idCounters())).toEqual(counters);

    // A second copy into the now filled target is refused, through the command: one line, exit 2.
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['copy-db', '--from', a, '--to', b])).toBe(2);
    expect(err).toHaveBeenCalledTimes(1);
    expect(String(err.mock.calls[0]![0])).toMatch(/^storywire copy-db: target .*b\.db is not empty \(3 sources, \d+ stories, 28 entries\); copy into a new, empty database$/);
  });

  it('needs --from and --to (usage, exit 2) and refuses to copy a database onto itself', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['copy-db', '--from', path.join(dir, 'x.db')])).toBe(2);
    expect(await main(['copy-db', '--from', path.join(dir, 'x.db'), '--to', path.join(dir, '.', 'x.db')])).toBe(2);
  });
});

describe.skipIf(PG_SKIP_REASON !== null)(`copy-db SQLite <-> PostgreSQL${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase();
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it('copies to PostgreSQL and back with identical answers; new polls on the copy number rows after the copied ones', async () => {
    serve();
    const file = path.join(dir, 'to-pg.db');
    await poll(file, NOW);
    const fromSqlite = await withStore(file, answers);

    const progress: string[] = [];
    const summary: string[] = [];
    expect(await copyDatabase(file, pg.url, { aliases, batch: 7, progress: { write: (s: string) => progress.push(s), isTTY: false }, out: (l) => summary.push(l) })).toBe(0);
    expect(progress.join('')).toMatch(/^sources: 3 rows copied\nstore_meta: \d+ rows copied\nstories: \d+ rows copied\nentries: 28 rows copied\nfetch_history: 3 rows copied\nsearch index: 28 entries indexed\n$/);
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatch(/\(sqlite\) to postgres:.*\(postgres\) in [\d.]+s: 3 sources, \d+ stories, 28 entries, .* counts match$/);

    // Same stories, ids, order, cursors, search hits, sources' poll state and feeds.
    expect(await withStore(pg.url, answers)).toEqual(fromSqlite);
    const rows = async (db: string) => withStore(db, async (s) => ({ entries: await s.listEntries({ limit: 1000 }), stories: await s.listStories({ limit: 1000 }), sources: await s.sourceStates() }));
    expect(await rows(pg.url)).toEqual(await rows(file));
    // The fetch history too (one poll of each source), so /sources shows the same strips.
    const history = async (db: string) => withStore(db, async (s) => [...(await s.fetchHistory()).entries()]);
    expect((await history(pg.url)).map(([id, fetches]) => [id, fetches.length])).toEqual([['alpha', 1], ['beta', 1], ['gamma', 1]]);
    expect(await history(pg.url)).toEqual(await history(file));

    // A non-empty target is refused.
    await expect(copyDatabase(file, pg.url, { aliases, progress: quiet, out: () => {} })).rejects.toThrow(OperatorError);

    // A new poll on PostgreSQL: new entries and stories get ids above the copied ones.
    const copied = await withStore(pg.url, async (s) => ({ entries: await s.listEntries({ limit: 1000 }), stories: await s.listStories({ limit: 1000 }) }));
    const maxEntry = Math.max(...copied.entries.map((e) => e.id));
    const maxStory = Math.max(...copied.stories.map((s) => s.id));
    serve(' (update)');
    await poll(pg.url, NOW + 3_600_000);
    const after = await withStore(pg.url, async (s) => ({ entries: await s.listEntries({ limit: 1000 }), stories: await s.listStories({ limit: 1000 }) }));
    const newEntries = after.entries.filter((e) => !copied.entries.some((c) => c.id === e.id));
    const newStories = after.stories.filter((s) => !copied.stories.some((c) => c.id === s.id));
    expect(newEntries.length).toBe(28);
    expect(newStories.length).toBeGreaterThan(0);
    expect(Math.min(...newEntries.map((e) => e.id))).toBe(maxEntry + 1);
    expect(Math.min(...newStories.map((s) => s.id))).toBeGreaterThan(maxStory);
    // The new polls' history rows took ids past the copied ones (a clash would have failed the poll).
    expect((await history(pg.url)).map(([, fetches]) => fetches.map((f) => f.fetchedAt))).toEqual([0, 1, 2].map(() => [NOW, NOW + 3_600_000]));

    // And back: PostgreSQL -> a new SQLite file answers as PostgreSQL does.
    const back = path.join(dir, 'from-pg.db');
    expect(await copyDatabase(pg.url, back, { aliases, batch: 10, progress: quiet, out: () => {} })).toBe(0);
    expect(await withStore(back, answers)).toEqual(await withStore(pg.url, answers));
    expect(await rows(back)).toEqual(await rows(pg.url));
    expect(await withStore(back, (s) => s.idCounters())).toEqual(await withStore(pg.url, (s) => s.idCounters()));
    // New rows on the SQLite copy continue after PostgreSQL's ids too.
    serve(' (third)');
    await poll(back, NOW + 7_200_000);
    const third = await withStore(back, (s) => s.listEntries({ limit: 1000 }));
    expect(Math.min(...third.filter((e) => !after.entries.some((c) => c.id === e.id)).map((e) => e.id))).toBe(maxEntry + 29);
  }, 60_000);
});
