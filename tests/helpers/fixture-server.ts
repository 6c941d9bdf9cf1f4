// A throwaway HTTP server on 127.0.0.1:0 for tests that fetch. Routes are keyed by path; every request is recorded.
//
//   const server = await startFixtureServer({
//     '/feed.xml': { status: 200, headers: { ETag: '"v1"' }, body: '<rss/>' },
//     '/slow': hang(),
//     '/custom': (req, res) => { res.writeHead(204); res.end(); },
//   });
//   await fetch(server.url('/feed.xml'));
//   server.requestsTo('/feed.xml')[0].headers['user-agent'];
//   await server.close(); // also destroys connections that are still open
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A canned answer; `body` is sent as is (strings as UTF-8) with a Content-Length. */
export interface RouteSpec {
  status?: number;
  headers?: Record<string, string | number | string[]>;
  body?: string | Uint8Array;
}

/** A hand-written answer; it may be async. Handlers that keep timers must clear them on `res.on('close')`. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Path (e.g. '/feed.xml', matched with or without its query) → how to answer it. */
export type Routes = Record<string, RouteSpec | RouteHandler>;

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path with query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** A running fixture server. */
export interface FixtureServer {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Requests whose path (without query) is `path`. */
  requestsTo(path: string): RecordedRequest[];
  /** Adds or replaces a route while running (e.g. to make the second poll answer differently). */
  route(path: string, answer: RouteSpec | RouteHandler): void;
  /** Stops listening and destroys open connections, so hanging routes cannot keep the test alive. */
  close(): Promise<void>;
}

/** Starts a server for `routes`; unknown paths answer 404. */
export async function startFixtureServer(routes: Routes = {}): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const answer = table.get(req.url ?? '/') ?? table.get(pathOf(req.url ?? '/'));
    if (answer === undefined) return sendSpec(res, { status: 404, body: `no fixture route for ${req.url}` });
    if (typeof answer !== 'function') return sendSpec(res, answer);
    Promise.resolve(answer(req, res)).catch((error: unknown) => fail(res, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    requests,
    url: (path) => new URL(path, origin).href,
    requestsTo: (path) => requests.filter((r) => pathOf(r.url) === path),
    route: (path, answer) => void table.set(path, answer),
    close: () => closeServer(server, sockets),
  };
}

/** A route that accepts the request and never answers (for timeouts). */
export function hang(): RouteHandler {
  return () => undefined;
}

/** A route that sends headers, then one chunk every `everyMs` forever (for timeouts and size limits). */
export function trickle(chunk: string | Uint8Array = 'x', everyMs = 10, headers: RouteSpec['headers'] = {}): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml', ...headers });
    res.write(chunk);
    const timer = setInterval(() => res.write(chunk), everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** A route that redirects to `location` with `status` (302 by default). */
export function redirect(location: string, status = 302): RouteSpec {
  return { status, headers: { Location: location } };
}

function sendSpec(res: ServerResponse, spec: RouteSpec): void {
  const body = typeof spec.body === 'string' ? Buffer.from(spec.body) : (spec.body ?? new Uint8Array(0));
  const status = spec.status ?? 200;
  // 304 and 204 must not carry a body or a Content-Length.
  const headers = status === 304 || status === 204 ? { ...spec.headers } : { 'Content-Length': body.byteLength, ...spec.headers };
  res.writeHead(status, headers);
  res.end(status === 304 || status === 204 ? undefined : body);
}

function fail(res: ServerResponse, error: unknown): void {
  if (!res.headersSent) res.writeHead(500);
  res.end(String(error));
}

function pathOf(url: string): string {
  return url.replace(/\?.*$/, '');
}

async function closeServer(server: ReturnType<typeof createServer>, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  server.closeAllConnections();
  await closed;
}
