// API benchmark with 1M entries stored: search and paging latency under 50 connections, against /healthz.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, printLoad } from './load.ts';
import { startBenchServer } from './server-process.ts';
import { wordAt } from './synthetic.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);

/** Runs the API benchmark; the filled database is kept in the OS temp folder between runs. */
export async function runApiBench(): Promise<void> {
  const db = path.join(os.tmpdir(), `storywire-api-bench-${ENTRIES}.db`);
  const server = await startBenchServer(db, ENTRIES);
  try {
    if (server.info.fresh) console.log(`api: filled ${ENTRIES} entries in ${(server.info.fillMs / 1000).toFixed(0)} s (kept at ${db})`);
    const page1 = (await (await fetch(`${server.base}/api/stories?limit=20`)).json()) as { next_cursor: string };
    const deep = await pageAt(server.base, 50);
    const baseline = await load('GET /healthz', `${server.base}/healthz`);
    const queries: [string, string][] = [
      ['GET /api/stories', '/api/stories'],
      ['GET /api/stories?cursor (page 2)', `/api/stories?cursor=${page1.next_cursor}`],
      ['GET /api/stories?cursor (page 50)', `/api/stories?cursor=${deep}`],
      // Search words by frequency rank in the synthetic vocabulary: common, middling, rare, and two together.
      ['GET /api/stories?q=<common word>', `/api/stories?q=${wordAt(2)}`],
      ['GET /api/stories?q=<middling word>', `/api/stories?q=${wordAt(400)}`],
      ['GET /api/stories?q=<rare word>', `/api/stories?q=${wordAt(3500)}`],
      ['GET /api/stories?q=<two words>', `/api/stories?q=${wordAt(40)}%20${wordAt(900)}`],
      ['GET /api/stories?q=<middling>&sort=relevance', `/api/stories?q=${wordAt(400)}&sort=relevance`],
      ['GET /api/entries?q=<middling word>', `/api/entries?q=${wordAt(400)}`],
    ];
    const results = [];
    const cold: string[] = [];
    for (const [name, path] of queries) {
      // The first request computes the answer; the load that follows is served from the answer cache.
      const t = performance.now();
      await (await fetch(`${server.base}${path}`)).text();
      cold.push(`  ${name.padEnd(44)} ${(performance.now() - t).toFixed(1).padStart(7)} ms`);
      results.push(await load(name, `${server.base}${path}`));
    }
    console.log(`api: ${ENTRIES} entries, 50 connections, 5 s each`);
    printLoad(baseline, results);
    console.log('  first (uncached) answer of each query, one request alone:');
    for (const line of cold) console.log(line);
    const worst = Math.max(...results.map((r) => r.p99));
    console.log(`  worst p99 ${worst} ms (goal < 50 ms); slowest query at ${(baseline.rps / Math.min(...results.map((r) => r.rps))).toFixed(1)}x the cost of /healthz (goal <= 10x)`);
  } finally {
    await server.stop();
  }
}

async function pageAt(base: string, n: number): Promise<string> {
  let cursor = '';
  for (let i = 0; i < n; i++) cursor = ((await (await fetch(`${base}/api/stories?limit=20${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { next_cursor: string }).next_cursor;
  return cursor;
}
