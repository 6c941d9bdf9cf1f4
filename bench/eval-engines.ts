// `npm run eval:engines [-- CORPUS_DIR...]`: polls real captured feeds (../shared/corpora/realfeeds/*, when present)
// with the same clock into a SQLite file and a throwaway PostgreSQL database (STORYWIRE_BENCH_PG or STORYWIRE_TEST_PG),
// then compares every stored row and the answers of the API, the feeds and the web page, following every cursor.
// Prints the counts and each difference; exits 1 when the engines differ.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { createApp } from '../src/server/app.ts';
import { COPY_TABLES, openStorage } from '../src/store/index.ts';
import { startFixtureServer } from '../tests/helpers/fixture-server.ts';
import { createThrowawayDatabase } from '../tests/helpers/throwaway-pg.ts';

const server = process.env.STORYWIRE_BENCH_PG || process.env.STORYWIRE_TEST_PG;
const root = path.resolve('../shared/corpora/realfeeds');
const corpora = process.argv.slice(2).length ? process.argv.slice(2) : fs.existsSync(root) ? fs.readdirSync(root).map((d) => path.join(root, d)) : [];
if (!server || corpora.length === 0) {
  console.log(`eval:engines: ${!server ? 'no PostgreSQL (set STORYWIRE_BENCH_PG or STORYWIRE_TEST_PG)' : `${root} not found`}; nothing to compare`);
  process.exit(0);
}

// One clock for both polls, after every captured item, so no entry is "from the future" on either engine.
const NOW = Date.UTC(2026, 0, 1);
const files = corpora.flatMap((dir) => fs.readdirSync(dir).filter((f) => /\.(xml|rss|atom|json)$/.test(f) && !f.startsWith('feedparser')).map((f) => path.join(dir, f)));
const fixtures = await startFixtureServer(Object.fromEntries(files.map((f, i) => [`/${i}/${path.basename(f)}`, { body: fs.readFileSync(f) }])));
const slug = (f: string, i: number) => `${i}-${path.basename(f).replace(/\.[a-z]+$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 60);
// One source at a time, in feeds.json order: which outlet's entries get the lower ids must not depend on the network.
const config: Config = parseConfig(
  JSON.stringify({ settings: { concurrency: 1, timeout: '10s' }, sources: files.map((f, i) => ({ id: slug(f, i), url: fixtures.url(`/${i}/${path.basename(f)}`) })) }),
  'feeds.json',
);

const ROUTES = ['/api/stories?limit=50', '/api/stories?limit=20&min_sources=2', '/api/entries?limit=100', '/api/sources', '/feeds/all.rss', '/feeds/all.atom', '/feeds/all.json', '/', '/sources', '/sources.opml'];
const SEARCHES = ['government', 'police', 'china', 'president', 'covid', 'election', 'court'].flatMap((q) => [`/api/stories?limit=20&q=${q}`, `/api/entries?limit=20&q=${q}`]);

async function pollAndRead(db: string): Promise<{ rows: Record<string, unknown[]>; answers: Map<string, string> }> {
  const random = Math.random;
  Math.random = () => 0.25; // the next-poll jitter, the runtime's one random input
  const runtime = await openRuntime(config, db, silentLogger(), () => NOW);
  try {
    await runtime.poll();
  } finally {
    Math.random = random;
  }
  try {
    const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (t) => runtime.assigner.terms(t), publisher: runtime.publisher, responseCache: runtime.responseCache, now: () => NOW });
    const answers = new Map<string, string>();
    const stories = (await runtime.store.listStories({ limit: 100_000 })).map((s) => `/api/stories/${s.id}`);
    for (const first of [...ROUTES, ...SEARCHES, ...stories]) {
      let url: string | null = first;
      for (let page = 0; url && page < 200; page++) {
        const res = await app.request(url);
        const body = await res.text();
        answers.set(url, `${res.status} ${res.headers.get('etag') ?? ''}\n${body}`);
        const next = first.startsWith('/api/stories?') || first.startsWith('/api/entries?') ? (JSON.parse(body) as { next_cursor?: string }).next_cursor : null;
        url = next ? `${first}&cursor=${encodeURIComponent(next)}` : null;
      }
    }
    const store = await openStorage(db, { readonly: true });
    const rows: Record<string, unknown[]> = {};
    try {
      for (const t of COPY_TABLES) rows[t] = (await store.exportRows(t, null, 1_000_000)).filter((r) => (r as { key?: string }).key !== 'search_index');
    } finally {
      await store.close();
    }
    return { rows, answers };
  } finally {
    await runtime.close();
  }
}

// What a differing answer holds: its status and, for the API's lists, the ids in order.
function brief(answer: string | undefined): string {
  if (answer === undefined) return '(none)';
  const [head, ...rest] = answer.split('\n');
  try {
    const json = JSON.parse(rest.join('\n')) as { stories?: { id: number }[]; entries?: { id: number }[] };
    const list = json.stories ?? json.entries;
    if (list) return `${head} ids ${list.map((x) => x.id).join(' ')}`;
  } catch {
    // not JSON: the first characters say enough
  }
  return `${head} ${rest.join(' ').slice(0, 160)}`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-engines-'));
const pg = await createThrowawayDatabase(server, 'storywire_bench_engines');
let differences = 0;
try {
  const a = await pollAndRead(path.join(dir, 'eval.db'));
  const b = await pollAndRead(pg.url);
  console.log(`eval:engines: ${files.length} captured feeds from ${corpora.length} corpora`);
  for (const t of COPY_TABLES) {
    const same = JSON.stringify(a.rows[t]) === JSON.stringify(b.rows[t]);
    console.log(`  ${t.padEnd(14)} SQLite ${String(a.rows[t]!.length).padStart(6)} rows, PostgreSQL ${String(b.rows[t]!.length).padStart(6)}: ${same ? 'identical' : 'DIFFERENT'}`);
    if (!same) differences++;
  }
  let same = 0;
  for (const [url, body] of a.answers) {
    if (b.answers.get(url) === body) same++;
    else if (differences++ < 20) console.log(`  DIFFERENT answer: ${url}\n    SQLite:     ${brief(body)}\n    PostgreSQL: ${brief(b.answers.get(url))}`);
  }
  for (const url of b.answers.keys()) if (!a.answers.has(url) && differences++ < 20) console.log(`  only on PostgreSQL: ${url}`);
  console.log(`  HTTP answers (status, ETag, body; every cursor followed): ${same} of ${a.answers.size} identical`);
  console.log(differences ? `  ${differences} difference(s)` : '  the engines stored and answered exactly the same');
} finally {
  await fixtures.close();
  await pg.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(differences ? 1 : 0);
