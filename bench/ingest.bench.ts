// Ingest benchmark: 200 local feeds of 50 entries through the whole pipeline, against bare rss-parser parsing.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { parseConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { withPeakMemory } from './memory.ts';
import { rssDocument } from './synthetic.ts';

const FEEDS = 200;
const PER_FEED = 50;

/** Runs the ingest benchmark and prints entries/s for both, their ratio and peak memory. */
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
  const runtime = await openRuntime(config, path.join(dir, 'bench.db'), silentLogger());
  const full = await withPeakMemory(async () => {
    const t = performance.now();
    const summary = await runtime.poll();
    return { n: summary.newEntries, ms: performance.now() - t, failed: summary.failed };
  });
  await runtime.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const floorRate = floor.result.n / (floor.result.ms / 1000);
  const fullRate = full.result.n / (full.result.ms / 1000);
  console.log(`ingest: ${FEEDS} feeds x ${PER_FEED} entries`);
  console.log(`  bare rss-parser parseString: ${floor.result.n} entries in ${floor.result.ms.toFixed(0)} ms = ${floorRate.toFixed(0)} entries/s (peak RSS ${floor.peakMiB.toFixed(0)} MiB)`);
  console.log(`  full pipeline (HTTP, decode, parse, normalize, store, cluster): ${full.result.n} entries in ${full.result.ms.toFixed(0)} ms = ${fullRate.toFixed(0)} entries/s, ${full.result.failed} failed (peak RSS ${full.peakMiB.toFixed(0)} MiB)`);
  console.log(`  ratio full/bare time: ${(full.result.ms / floor.result.ms).toFixed(2)}x (goal <= 2x)`);
}
