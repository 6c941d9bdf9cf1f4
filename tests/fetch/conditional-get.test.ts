import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions, type FetchResult } from '../../src/fetch/index.ts';
import { ACCEPT } from '../../src/fetch/request-headers.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 1_000_000, userAgent: 'storywire-test/1.0 (+https://example.org)' };
const RSS = '<rss version="2.0"><channel><title>t</title></channel></rss>';

let server: FixtureServer;
afterEach(() => server?.close());

function expectKind<K extends FetchResult['kind']>(result: FetchResult, kind: K): Extract<FetchResult, { kind: K }> {
  expect(result.kind, JSON.stringify(result)).toBe(kind);
  return result as Extract<FetchResult, { kind: K }>;
}

describe('conditional GET', { timeout: 1000 }, () => {
  it('sends the standard headers and no validators on a first fetch', async () => {
    server = await startFixtureServer({ '/feed': { body: RSS } });
    expectKind(await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, opts), 'ok');
    const [sent] = server.requestsTo('/feed');
    expect(sent.headers['user-agent']).toBe(opts.userAgent);
    expect(sent.headers.accept).toBe(ACCEPT);
    expect(sent.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent.headers['if-none-match']).toBeUndefined();
    expect(sent.headers['if-modified-since']).toBeUndefined();
  });

  it('returns the body and validators of a 200, then sends the ETag back exactly and maps 304 to not-modified', async () => {
    const etag = 'W/"abc-123"';
    server = await startFixtureServer({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
        res.writeHead(200, { ETag: etag, 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(RSS);
      },
    });
    const first = expectKind(await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, opts), 'ok');
    expect(first.status).toBe(200);
    expect(new TextDecoder().decode(first.body)).toBe(RSS);
    expect(first.etag).toBe(etag);
    expect(first.lastModified).toBeNull();
    expect(first.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(first.finalUrl).toBe(server.url('/feed'));
    expect(first.permanentRedirect).toBeNull();

    const second = expectKind(await fetchFeed({ url: server.url('/feed'), etag: first.etag, lastModified: first.lastModified }, opts), 'not-modified');
    expect(server.requestsTo('/feed')[1].headers['if-none-match']).toBe(etag);
    expect(server.requestsTo('/feed')[1].headers['if-modified-since']).toBeUndefined();
    expect(second.etag).toBe(etag);
    expect(second.finalUrl).toBe(server.url('/feed'));
  });

  it('sends Last-Modified back exactly as If-Modified-Since', async () => {
    // Deliberately not canonical HTTP-date spacing: we must echo it, not reformat it.
    const lastModified = 'Tue, 01 Apr 2025 10:00:00 GMT';
    server = await startFixtureServer({
      '/feed': (req, res) => {
        if (req.headers['if-modified-since'] === lastModified) return void res.writeHead(304).end();
        res.writeHead(200, { 'Last-Modified': lastModified }).end(RSS);
      },
    });
    const first = expectKind(await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, opts), 'ok');
    expect(first.lastModified).toBe(lastModified);
    expect(first.etag).toBeNull();
    const second = expectKind(await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: first.lastModified }, opts), 'not-modified');
    expect(server.requestsTo('/feed')[1].headers['if-modified-since']).toBe(lastModified);
    expect(second.lastModified).toBeNull();
  });

  it('sends both validators when both are stored', async () => {
    server = await startFixtureServer({ '/feed': { status: 304 } });
    await fetchFeed({ url: server.url('/feed'), etag: '"v2"', lastModified: 'Wed, 02 Apr 2025 00:00:00 GMT' }, opts);
    const [sent] = server.requestsTo('/feed');
    expect(sent.headers['if-none-match']).toBe('"v2"');
    expect(sent.headers['if-modified-since']).toBe('Wed, 02 Apr 2025 00:00:00 GMT');
  });

  it('reports ok again when the server ignores the validators', async () => {
    server = await startFixtureServer({ '/feed': { headers: { ETag: '"new"' }, body: RSS } });
    const result = expectKind(await fetchFeed({ url: server.url('/feed'), etag: '"old"', lastModified: null }, opts), 'ok');
    expect(new TextDecoder().decode(result.body)).toBe(RSS);
    expect(result.etag).toBe('"new"');
  });

  it('reports Cache-Control max-age on ok and on not-modified', async () => {
    server = await startFixtureServer({
      '/ok': { headers: { 'Cache-Control': 'public, max-age=600' }, body: RSS },
      '/same': { status: 304, headers: { 'Cache-Control': 'max-age=90' } },
      '/plain': { body: RSS },
    });
    expect(expectKind(await fetchFeed({ url: server.url('/ok'), etag: null, lastModified: null }, opts), 'ok').maxAgeSeconds).toBe(600);
    expect(expectKind(await fetchFeed({ url: server.url('/same'), etag: '"x"', lastModified: null }, opts), 'not-modified').maxAgeSeconds).toBe(90);
    expect(expectKind(await fetchFeed({ url: server.url('/plain'), etag: null, lastModified: null }, opts), 'ok').maxAgeSeconds).toBeNull();
  });

  it('accepts any 2xx as ok and reports its status', async () => {
    server = await startFixtureServer({ '/feed': { status: 203, body: RSS } });
    const result = expectKind(await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, opts), 'ok');
    expect(result.status).toBe(203);
  });
});
