// API benchmark with 1M entries stored, on SQLite and (when a server is named) PostgreSQL side by side: each query's
// p99 under 50 connections served from the answer cache and computed every time (the cache off), against /healthz,
// and the p99 of one connection asking again and again with the cache off: a query's own latency, without the queue
// 50 connections build in front of a server that answers one request at a time.
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { copyDatabase } from '../src/cli/copy-db.ts';
import { loadAliases } from '../src/stories/index.ts';
import { load, type LoadResult } from './load.ts';
import { startBenchServer } from './server-process.ts';
import { wordAt } from './synthetic.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
/** A PostgreSQL server whose role may create databases: the bench keeps its filled database there between runs. */
const PG_SERVER = process.env.STORYWIRE_BENCH_PG || process.env.STORYWIRE_TEST_PG || undefined;

/** What one engine measured: the baseline, and per query the first answer alone and the loads cached and uncached. */
interface EngineRun {
  engine: string;
  baseline: LoadResult;
  queries: { name: string; firstMs: number; cached: LoadResult; uncached: LoadResult; alone: LoadResult }[];
}

/**
 * Runs the API benchmark. The SQLite database is kept in the OS temp folder between runs; the PostgreSQL one is
 * copied from it once (storywire copy-db) into storywire_bench_api_<entries> on the server and kept there too.
 */
export async function runApiBench(): Promise<void> {
  const file = path.join(os.tmpdir(), `storywire-api-bench-${ENTRIES}.db`);
  const runs = [await runEngine('sqlite', file)];
  if (PG_SERVER) runs.push(await runEngine('postgres', await benchPgDatabase(PG_SERVER, file)));
  else console.log('api: PostgreSQL skipped (set STORYWIRE_BENCH_PG or STORYWIRE_TEST_PG to a postgres:// URL of a role that may create databases)');
  printRuns(runs);
}

async function runEngine(engine: string, db: string): Promise<EngineRun> {
  const server = await startBenchServer(db, ENTRIES);
  try {
    if (server.info.fresh) console.log(`api: filled ${ENTRIES} entries in ${(server.info.fillMs / 1000).toFixed(0)} s (kept at ${db})`);
    const page1 = (await (await fetch(`${server.base}/api/stories?limit=20`)).json()) as { next_cursor: string };
    const deep = await pageAt(server.base, 50);
    const topPage1 = (await (await fetch(`${server.base}/api/stories?sort=top&limit=20`)).json()) as { next_cursor: string };
    const topDeep = await pageAt(server.base, 50, 'sort=top&');
    const baseline = await load('GET /healthz', `${server.base}/healthz`);
    const queries: [string, string][] = [
      ['GET /api/stories', '/api/stories'],
      ['GET /api/stories?cursor (page 2)', `/api/stories?cursor=${page1.next_cursor}`],
      ['GET /api/stories?cursor (page 50)', `/api/stories?cursor=${deep}`],
      ['GET /api/stories?sort=top', '/api/stories?sort=top'],
      ['GET /api/stories?sort=top&cursor (page 2)', `/api/stories?sort=top&cursor=${topPage1.next_cursor}`],
      ['GET /api/stories?sort=top&cursor (page 50)', `/api/stories?sort=top&cursor=${topDeep}`],
      ['GET /api/stories?sort=top&min_sources=3', '/api/stories?sort=top&min_sources=3'],
      // Search words by frequency rank in the synthetic vocabulary: common, middling, rare, and two together.
      ['GET /api/stories?q=<common word>', `/api/stories?q=${wordAt(2)}`],
      ['GET /api/stories?q=<middling word>', `/api/stories?q=${wordAt(400)}`],
      ['GET /api/stories?q=<rare word>', `/api/stories?q=${wordAt(3500)}`],
      ['GET /api/stories?q=<two words>', `/api/stories?q=${wordAt(40)}%20${wordAt(900)}`],
      ['GET /api/stories?q=<middling>&sort=relevance', `/api/stories?q=${wordAt(400)}&sort=relevance`],
      ['GET /api/stories?q=<middling>&sort=top', `/api/stories?q=${wordAt(400)}&sort=top`],
      ['GET /api/entries?q=<middling word>', `/api/entries?q=${wordAt(400)}`],
    ];
    const run: EngineRun = { engine, baseline, queries: [] };
    for (const [name, p] of queries) {
      // One request alone on the uncached port: what a reader waits for the first time a query is asked.
      const t = performance.now();
      await (await fetch(`${server.uncachedBase}${p}`)).text();
      const firstMs = performance.now() - t;
      // Filled once, so the cached load measures answers from the cache, not 50 requests computing the same one.
      await (await fetch(`${server.base}${p}`)).text();
      const cached = await load(name, `${server.base}${p}`);
      const uncached = await load(name, `${server.uncachedBase}${p}`);
      const alone = await load(name, `${server.uncachedBase}${p}`, { connections: 1 });
      run.queries.push({ name, firstMs, cached, uncached, alone });
    }
    return run;
  } finally {
    await server.stop();
  }
}

// The cursor of page n + 1 of /api/stories?<query>limit=20.
async function pageAt(base: string, n: number, query = ''): Promise<string> {
  let cursor = '';
  for (let i = 0; i < n; i++) cursor = ((await (await fetch(`${base}/api/stories?${query}limit=20${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { next_cursor: string }).next_cursor;
  return cursor;
}

function printRuns(runs: EngineRun[]): void {
  console.log(`api: ${ENTRIES} entries, 5 s per load. p99 in ms: cached and uncached (answer cache off) under 50 connections,`);
  console.log('  alone = uncached from 1 connection, first = the first uncached request; req/s uncached under 50 connections');
  const header = 'cached uncached  alone   first  req/s';
  // A load during which no request completed has no latency to show.
  const p99 = (l: LoadResult) => (l.rps > 0 ? String(l.p99) : '-');
  const cell = (r: EngineRun['queries'][number]) =>
    `${p99(r.cached).padStart(6)} ${p99(r.uncached).padStart(8)} ${p99(r.alone).padStart(6)} ${r.firstMs.toFixed(0).padStart(7)} ${r.uncached.rps.toFixed(0).padStart(6)}` +
    ([r.cached, r.uncached, r.alone].some((l) => l.non2xx || l.errors || !l.rps) ? ' !' : '  ');
  console.log(`  ${''.padEnd(44)} ${runs.map((r) => `${r.engine.padEnd(header.length)}  `).join(' | ')}`);
  console.log(`  ${''.padEnd(44)} ${runs.map(() => `${header}  `).join(' | ')}`);
  console.log(`  ${'GET /healthz (baseline)'.padEnd(44)} ${runs.map((r) => `${String(r.baseline.p99).padStart(6)} ${''.padStart(header.length - 5)}`).join(' | ')}`);
  runs[0].queries.forEach((q, i) => console.log(`  ${q.name.padEnd(44)} ${runs.map((r) => cell(r.queries[i])).join(' | ')}`));
  console.log('  (! marks a load with errors, timeouts or non-2xx answers; - one in which no request completed within 5 s)');
  // A load in which nothing completed counts as slower than any measured one.
  const latency = (l: LoadResult) => (l.rps > 0 ? l.p99 : Infinity);
  const ms = (n: number) => (Number.isFinite(n) ? `${n} ms` : 'none completed in 5 s');
  const worst = (r: EngineRun, pick: (q: EngineRun['queries'][number]) => LoadResult) => Math.max(...r.queries.map((q) => latency(pick(q))));
  for (const r of runs) {
    console.log(`  ${r.engine}: worst p99 alone ${ms(worst(r, (q) => q.alone))} (goal < 50 ms); under 50 connections ${ms(worst(r, (q) => q.uncached))} uncached, ${ms(worst(r, (q) => q.cached))} cached`);
  }
  if (runs.length === 2) {
    const ratios = runs[1].queries.map((q, i) => latency(q.alone) / Math.max(1, latency(runs[0].queries[i].alone)));
    console.log(`  postgres / sqlite p99 alone: worst ${Math.max(...ratios).toFixed(1)}x (goal <= 2x, counted from 1 ms up)`);
  }
}

// The bench database on the PostgreSQL server, copied from the SQLite one when missing: under a temporary name first,
// renamed when complete, so a copy cut short is never taken for a filled database.
async function benchPgDatabase(server: string, sqliteFile: string): Promise<string> {
  const name = `storywire_bench_api_${ENTRIES}`;
  const urlOf = (database: string) => Object.assign(new URL(server), { pathname: `/${database}` }).toString();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    if (!(await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`).length) {
      const filling = `${name}_filling`;
      await admin.unsafe(`DROP DATABASE IF EXISTS "${filling}" WITH (FORCE)`);
      await admin.unsafe(`CREATE DATABASE "${filling}"`);
      const started = performance.now();
      if ((await copyDatabase(sqliteFile, urlOf(filling), { aliases: loadAliases(), out: () => {} })) !== 0) throw new Error('api: copying the bench database to PostgreSQL failed');
      // Statistics now rather than whenever autovacuum gets to them, so the first run plans as later ones do.
      const filled = postgres(urlOf(filling), { max: 1, onnotice: () => {} });
      await filled`ANALYZE`.finally(() => filled.end());
      await admin.unsafe(`ALTER DATABASE "${filling}" RENAME TO "${name}"`);
      console.log(`api: copied ${ENTRIES} entries to PostgreSQL in ${((performance.now() - started) / 1000).toFixed(0)} s (kept as database ${name})`);
    }
  } finally {
    await admin.end();
  }
  return urlOf(name);
}
