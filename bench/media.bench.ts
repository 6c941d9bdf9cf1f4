// Media proxy benchmark: a cached picture served from /media/ to 50 connections, against a constant route sending
// the same bytes, in the same process. The first (fetching) request's cost is printed too.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { parseConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { mediaToken } from '../src/publish/images.ts';
import { openRuntime } from '../src/runtime.ts';
import { createApp } from '../src/server/app.ts';
import { listen } from '../src/server/listen.ts';
import { solidPng } from '../tests/helpers/png.ts';
import { load, printLoad } from './load.ts';

/** Runs the media proxy benchmark and prints requests/s, p99 and ratios. */
export async function runMediaBench(): Promise<void> {
  // A 400 × 300 picture of noise-free colour bands compresses well; pad it to a typical news thumbnail's 60 KB.
  const png = solidPng(400, 300);
  const picture = Buffer.concat([png, Buffer.alloc(Math.max(0, 60_000 - png.length))]);
  const upstream = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': picture.length }).end(picture));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/picture.png`;

  const config = parseConfig(JSON.stringify({ settings: { mediaProxy: true }, sources: [{ id: 'outlet', url: 'http://127.0.0.1/feed.xml' }] }), '/tmp/feeds.json');
  const runtime = await openRuntime(config, ':memory:', silentLogger());
  const stored = await runtime.store.upsertEntry('outlet', {
    key: 'k', guid: null, title: 'A picture', link: 'http://127.0.0.1/a', canonicalUrl: null, summary: '', content: null, author: null,
    categories: [], publishedAt: Date.now(), updatedAt: null, originalDate: null, image: { url, width: 400, height: 300 }, contentHash: 'h',
  }, Date.now());
  if (stored.kind !== 'inserted') throw new Error('bench: could not store the entry');

  const app = new Hono();
  app.get('/bench/constant', (c) => c.body(new Uint8Array(picture), 200, { 'Content-Type': 'image/png' }));
  app.route('/', createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime.assigner.terms(q), publisher: runtime.publisher }));
  const server = await listen(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const media = `${base}/media/${mediaToken(url)}`;
    const t = performance.now();
    const first = await fetch(media);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const firstMs = performance.now() - t;
    const baseline = await load('constant route, same bytes', `${base}/bench/constant`);
    const cached = await load('GET /media/{token} (cached)', media);
    const notModified = await load('GET /media/{token} with ETag (304)', media, { headers: { 'if-none-match': etag } });
    console.log(`media: a ${picture.length}-byte PNG through the proxy, 50 connections, 5 s each (server and load in one process)`);
    printLoad(baseline, [cached, notModified]);
    console.log(`  first request (entry lookup + fetch from 127.0.0.1 + checks): ${firstMs.toFixed(1)} ms`);
    console.log('  goal: cached >= 0.8 of constant');
  } finally {
    await server.close();
    await runtime.close();
    upstream.close();
  }
}
