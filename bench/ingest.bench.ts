// Ingest benchmark: 200 local feeds of 50 entries through the whole pipeline on each storage engine, side by side,
// against bare rss-parser parsing of the same documents in the same process. PostgreSQL runs when
// STORYWIRE_BENCH_PG (or STORYWIRE_TEST_PG) names a server: a throwaway database is created and dropped.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { parseConfig, type Config } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { createThrowawayDatabase } from '../tests/helpers/throwaway-pg.ts';
import { withPeakMemory } from './memory.ts';
import { rssDocument } from './synthetic.ts';

const FEEDS = 200;
const PER_FEED = 50;
const PG_SERVER = process.env.STORYWIRE_BENCH_PG || process.env.STORYWIRE_TEST_PG || undefined;

interface Run {
  n: number;
  ms: number;
  /** CPU time of this process during the run (user + system): steadier than wall time on a busy machine. */
  cpuMs: number;
  failed: number;
  peakMiB: number;
  startMiB: number;
}

/** Runs the ingest benchmark and prints, per engine, entries/s, the ratio to bare parsing and peak memory. */
export async function runIngestBench(): Promise<void> {
  const now = Date.now();
  const docs = Array.from({ length: FEEDS }, (_, i) => rssDocument(i, PER_FEED, now));
  const server = http.createServer((req, res) => {
    const i = Number(/\/feed(\d+)\.xml/.exec(req.url ?? '')?.[1]);
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(docs[i]);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;

  const parser = new Parser();
  const floor = await withPeakMemory(async () => {
    const t = performance.now();
    let n = 0;
    for (const d of docs) n += (await parser.parseString(d)).items.length;
    return { n, ms: performance.now() - t };
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-bench-'));
  // Hosts differ per feed in real life; here one host serves all, so the per-host limit is lifted to the global one.
  const config = parseConfig(
    JSON.stringify({ settings: { concurrency: 8, perHostConcurrency: 8 }, sources: docs.map((_, i) => ({ id: `s${i}`, url: `http://127.0.0.1:${port}/feed${i}.xml` })) }),
    path.join(dir, 'feeds.json'),
  );
  const runs: { engine: string; run: Run | null; note?: string }[] = [];
  try {
    runs.push({ engine: 'sqlite', run: await ingest(config, path.join(dir, 'bench.db')) });
    if (PG_SERVER) {
      const database = await createThrowawayDatabase(PG_SERVER, 'storywire_bench');
      try {
        runs.push({ engine: 'postgres', run: await ingest(config, database.url) });
      } finally {
        await database.drop();
      }
    } else runs.push({ engine: 'postgres', run: null, note: 'skipped: set STORYWIRE_BENCH_PG (or STORYWIRE_TEST_PG) to a postgres:// URL of a role that may create databases' });
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0).padStart(6);
  console.log(`ingest: ${FEEDS} feeds x ${PER_FEED} entries, whole pipeline (HTTP, decode, parse, normalise, store, cluster)`);
  console.log(`  bare rss-parser parseString: ${floor.result.n} entries in ${floor.result.ms.toFixed(0)} ms = ${rate(floor.result.n, floor.result.ms).trim()} entries/s (peak RSS ${floor.peakMiB.toFixed(0)} MiB)`);
  for (const { engine, run, note } of runs) {
    if (!run) {
      console.log(`  ${engine.padEnd(8)} ${note}`);
      continue;
    }
    console.log(
      `  ${engine.padEnd(8)} ${rate(run.n, run.ms)} entries/s (${run.n} in ${run.ms.toFixed(0)} ms, node CPU ${run.cpuMs.toFixed(0)} ms, ${run.failed} failed), ` +
        `${(run.ms / floor.result.ms).toFixed(1)}x bare parsing, peak RSS ${run.peakMiB.toFixed(0)} MiB (+${(run.peakMiB - run.startMiB).toFixed(0)} during the run)`,
    );
  }
  const [sqlite, pg] = runs.map((r) => r.run);
  if (sqlite && pg) console.log(`  postgres/sqlite time: ${(pg.ms / sqlite.ms).toFixed(2)}x (goal <= 2x)`);
  console.log(`  goal: sqlite >= 5000 entries/s`);
}

// One poll of every feed into a new database at `db` (a file path or a postgres:// URL).
async function ingest(config: Config, db: string): Promise<Run> {
  const runtime = await openRuntime(config, db, silentLogger());
  try {
    const startMiB = process.memoryUsage().rss / 1048576;
    const { result, peakMiB } = await withPeakMemory(async () => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const summary = await runtime.poll();
      const used = process.cpuUsage(cpu);
      return { n: summary.newEntries, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, failed: summary.failed };
    });
    return { ...result, peakMiB, startMiB };
  } finally {
    await runtime.close();
  }
}
