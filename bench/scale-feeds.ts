// The feeds of the scale benchmark: one HTTP server on 127.0.0.1, listening on several ports, serving N generated
// RSS feeds at /f/<i>.xml and counting the requests each feed gets (the bench's check that no source is fetched twice).
//
// Several ports, because a port is a host: the fetcher's per-host limit (HostLimiter: `new URL(url).host`, which
// keeps the port) and the PostgreSQL lease's fetch_host both count per host:port, and per-host concurrency is
// shared by all workers. On one port every worker together would get settings.perHostConcurrency (at most 16) fetch
// slots, and the slow feeds alone (5%, 1-3 s each) would set the pace whatever the number of workers; 2,000 real feeds
// live on hundreds of hosts. Feed i is on port i % ports, so each host holds a mix of fast, slow and failing feeds.
// Everything stays on 127.0.0.1: another host name (localhost) may resolve to ::1 and is not needed.
//
// Feed i is, for its whole life (chosen from i alone, so a run is repeatable):
//   ok (90%): 10-20 items; every request adds a new item at the top and keeps the others but the oldest, so each
//     pass stores new entries; about 30% of items report one of N shared events (same headline, published within
//     minutes of each other) so stories group entries of several feeds;
//   slow (5%): the same, answered after 1-3 s;
//   500 (1.5%), 404 (1.5%): an HTTP error;
//   garbage (1%): 200 with a body that is not a feed.
import http from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { headline, seeded } from './synthetic.ts';

export type FeedKind = 'ok' | 'slow' | 'http-500' | 'http-404' | 'garbage';

/** A running feed server. */
export interface FeedServer {
  /** The URL of each feed, by index. */
  readonly urls: string[];
  /** Requests each feed received since the start (or the last reset). */
  readonly requests: Uint32Array;
  /** What each feed does, by index. */
  readonly kinds: FeedKind[];
  /** Zeroes the counters (and so the feeds' contents, which follow them): the next run sees what the first saw. */
  reset(): void;
  /** When the first request since the start (or the last reset) arrived (ms since the epoch), or null. */
  firstRequestAt(): number | null;
  /** Event-loop delay of the server's process since the last reset, in ms: high values mean it made workers wait. */
  loopDelay(): { p99: number; max: number };
  close(): Promise<void>;
}

/** A 32-bit integer hash of two numbers (murmur3's finaliser), in [0, 1): independent draws for neighbouring feeds and items. */
function unit(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x6a09e667, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** What feed `i` does. */
export function feedKind(i: number): FeedKind {
  const r = unit(i, 0x51);
  if (r < 0.05) return 'slow';
  if (r < 0.065) return 'http-500';
  if (r < 0.08) return 'http-404';
  if (r < 0.09) return 'garbage';
  return 'ok';
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const MINUTE = 60_000;

/**
 * Feed `i` as served to its request number `k` (0 for the first): items k .. k+size-1, newest (highest number)
 * first. `events` is how many shared events there are; `base` the time items are dated from.
 */
export function feedDocument(i: number, k: number, events: number, base: number): string {
  const size = 10 + Math.floor(unit(i, 0x5e) * 11);
  const items: string[] = [];
  for (let n = k + size - 1; n >= k; n--) {
    let title: string;
    let summary: string;
    let published: number;
    if (unit(i, n) < 0.3) {
      // A shared event: its headline and time come from the event, so several outlets' entries form one story.
      const event = Math.floor(unit(n, i ^ 0x3c) * events);
      ({ title, summary } = headline(seeded(event + 1_000_003), event));
      published = base - 6 * 60 * MINUTE + (event % 360) * MINUTE + (i % 7) * MINUTE;
    } else {
      ({ title, summary } = headline(seeded(i * 100_003 + n + 1), i * 1000 + n));
      published = base - 6 * 60 * MINUTE + n * 10 * MINUTE + (i % 10) * MINUTE;
    }
    const link = `https://outlet${i}.example/news/${n}`;
    items.push(
      `<item><title>${xml(title)}</title><link>${link}</link><guid>${link}</guid><pubDate>${new Date(published).toUTCString()}</pubDate>` +
        `<description>${xml(`<p>${summary}</p>`)}</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet ${i}</title><link>https://outlet${i}.example/</link><description>Synthetic</description>${items.join('')}</channel></rss>`;
}

/** Starts the server for `count` feeds on `ports` ports of 127.0.0.1. */
export async function startFeedServer(count: number, opts: { ports?: number; base?: number } = {}): Promise<FeedServer> {
  const ports = opts.ports ?? 8;
  const base = opts.base ?? Date.now();
  const events = Math.max(10, count);
  const kinds = Array.from({ length: count }, (_, i) => feedKind(i));
  const requests = new Uint32Array(count);
  let first: number | null = null;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const m = /^\/f\/(\d+)\.xml$/.exec(req.url ?? '');
    const i = m ? Number(m[1]) : -1;
    if (!(i >= 0 && i < count)) return void res.writeHead(404).end('no such feed');
    first ??= Date.now();
    const k = requests[i]++;
    const kind = kinds[i];
    if (kind === 'http-500') return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('generated failure');
    if (kind === 'http-404') return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('generated: not found');
    if (kind === 'garbage') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(`\u0000\u0001 this is not a feed ${k} {[<`);
    const send = () => res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(feedDocument(i, k, events, base));
    if (kind === 'ok') return send();
    const timer = setTimeout(() => (timers.delete(timer), res.destroyed || send()), 1000 + Math.floor(unit(i, k + 0x77) * 2000));
    timers.add(timer);
  };

  const servers: http.Server[] = [];
  const portNumbers: number[] = [];
  for (let p = 0; p < ports; p++) {
    // Kept-alive connections stay open for the whole run: a server closing an idle one can make a client retry.
    const server = http.createServer({ keepAliveTimeout: 120_000 }, handle);
    server.on('connection', (s) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    servers.push(server);
    portNumbers.push((server.address() as { port: number }).port);
  }
  return {
    urls: kinds.map((_, i) => `http://127.0.0.1:${portNumbers[i % ports]}/f/${i}.xml`),
    requests,
    kinds,
    reset() {
      requests.fill(0);
      first = null;
      loop.reset();
    },
    firstRequestAt: () => first,
    loopDelay: () => ({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }),
    async close() {
      loop.disable();
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
    },
  };
}
