import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions, type FetchResult } from '../../src/fetch/index.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 100_000, userAgent: 'storywire-test' };
let server: FixtureServer;
afterEach(() => server?.close());

const get = (path: string) => fetchFeed({ url: server.url(path), etag: null, lastModified: null }, opts);

function httpErrorOf(result: FetchResult) {
  if (result.kind !== 'http-error') throw new Error(`expected http-error, got ${JSON.stringify(result)}`);
  return result;
}

describe('HTTP errors', { timeout: 1000 }, () => {
  it.each([
    [404, 'fetch: HTTP 404 Not Found'],
    [410, 'fetch: HTTP 410 Gone'],
    [500, 'fetch: HTTP 500 Internal Server Error'],
    [503, 'fetch: HTTP 503 Service Unavailable'],
    [300, 'fetch: HTTP 300 Multiple Choices'],
  ])('maps %i to http-error with its status line', async (status, message) => {
    server = await startFixtureServer({ '/feed': { status, body: 'error page' } });
    expect(await get('/feed')).toMatchObject({ kind: 'http-error', status, message, retryAfterMs: null, permanentRedirect: null });
  });

  it('uses the reason phrase the server sent', async () => {
    server = await startFixtureServer({ '/feed': (_req, res) => void res.writeHead(404, 'Nothing Here').end() });
    expect(httpErrorOf(await get('/feed')).message).toBe('fetch: HTTP 404 Nothing Here');
  });

  it('parses Retry-After seconds on 429', async () => {
    server = await startFixtureServer({ '/feed': { status: 429, headers: { 'Retry-After': '120' } } });
    expect(httpErrorOf(await get('/feed'))).toMatchObject({ status: 429, message: 'fetch: HTTP 429 Too Many Requests', retryAfterMs: 120_000 });
  });

  it('parses a Retry-After HTTP-date on 503 against the response Date', async () => {
    const date = new Date(Date.UTC(2025, 3, 1, 10, 0, 0));
    const retryAt = new Date(date.getTime() + 90_000);
    server = await startFixtureServer({ '/feed': { status: 503, headers: { 'Retry-After': retryAt.toUTCString(), Date: date.toUTCString() } } });
    expect(httpErrorOf(await get('/feed')).retryAfterMs).toBe(90_000);
  });

  it('parses a Retry-After HTTP-date on 429 against the server clock', async () => {
    // The fixture server stamps its own Date, so the result is about 5 minutes (less under a second of rounding).
    server = await startFixtureServer({ '/feed': { status: 429, headers: { 'Retry-After': new Date(Date.now() + 300_000).toUTCString() } } });
    const retryAfterMs = httpErrorOf(await get('/feed')).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(298_000);
    expect(retryAfterMs).toBeLessThanOrEqual(301_000);
  });

  it('ignores Retry-After on other statuses and when malformed', async () => {
    server = await startFixtureServer({
      '/500': { status: 500, headers: { 'Retry-After': '60' } },
      '/429': { status: 429, headers: { 'Retry-After': 'soon' } },
    });
    expect(httpErrorOf(await get('/500')).retryAfterMs).toBeNull();
    expect(httpErrorOf(await get('/429')).retryAfterMs).toBeNull();
  });
});
