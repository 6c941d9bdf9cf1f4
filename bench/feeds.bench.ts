// Feed serving benchmark: a cached 50-story feed to 50 connections, against a constant route of the same size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, printLoad } from './load.ts';
import { startBenchServer } from './server-process.ts';

/** Runs the feed benchmark and prints requests/s, p99 and ratios. */
export async function runFeedsBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-feeds-bench-'));
  const server = await startBenchServer(path.join(dir, 'bench.db'), 2000);
  try {
    const feed = `${server.base}/feeds/all.rss`;
    const etag = (await fetch(feed)).headers.get('etag')!;
    const baseline = await load('constant string, same size', `${server.base}/bench/constant`);
    const cached = await load('GET /feeds/all.rss (cached)', feed);
    const notModified = await load('GET /feeds/all.rss with ETag (304)', feed, { headers: { 'if-none-match': etag } });
    const gzip = await load('GET /feeds/all.rss gzip', feed, { headers: { 'accept-encoding': 'gzip' } });
    console.log(`feeds: 50-story feed of ${server.info.feedBytes} bytes, 50 connections, 5 s each`);
    printLoad(baseline, [cached, notModified, gzip]);
    console.log(`  render after invalidation (curate + RSS + compress): ${server.info.renderMs.toFixed(1)} ms`);
    console.log('  goal: cached >= 0.8 of constant, 304 >= 0.9');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
