import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions, type FetchResult } from '../../src/fetch/index.ts';
import { redirect, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 100_000, userAgent: 'storywire-test' };
const RSS = '<rss/>';
let server: FixtureServer;
afterEach(() => server?.close());

const get = (path: string, o: FetchOptions = opts) => fetchFeed({ url: server.url(path), etag: null, lastModified: null }, o);

function okOf(result: FetchResult) {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

describe('redirects', { timeout: 1000 }, () => {
  it('follows a temporary chain and reports no permanent redirect', async () => {
    server = await startFixtureServer({ '/a': redirect('/b', 302), '/b': redirect('/c', 307), '/c': { body: RSS } });
    const result = okOf(await get('/a'));
    expect(result.finalUrl).toBe(server.url('/c'));
    expect(result.permanentRedirect).toBeNull();
    expect(new TextDecoder().decode(result.body)).toBe(RSS);
  });

  it('reports the final URL when every hop is permanent (301, 308)', async () => {
    server = await startFixtureServer({ '/a': redirect('/b', 301), '/b': redirect('/c', 308), '/c': { body: RSS } });
    const result = okOf(await get('/a'));
    expect(result.permanentRedirect).toBe(server.url('/c'));
    expect(result.finalUrl).toBe(server.url('/c'));
  });

  it('reports no permanent redirect when a permanent chain has one temporary hop', async () => {
    server = await startFixtureServer({ '/a': redirect('/b', 301), '/b': redirect('/c', 303), '/c': redirect('/d', 308), '/d': { body: RSS } });
    const result = okOf(await get('/a'));
    expect(result.finalUrl).toBe(server.url('/d'));
    expect(result.permanentRedirect).toBeNull();
  });

  it('reports a permanent redirect on not-modified too, and sends the validators to the final URL', async () => {
    server = await startFixtureServer({ '/old': redirect('/new', 301), '/new': { status: 304, headers: { ETag: '"e"' } } });
    const result = await fetchFeed({ url: server.url('/old'), etag: '"e"', lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT' }, opts);
    expect(result).toMatchObject({ kind: 'not-modified', finalUrl: server.url('/new'), permanentRedirect: server.url('/new') });
    const [final] = server.requestsTo('/new');
    expect(final.headers['if-none-match']).toBe('"e"');
    expect(final.headers['if-modified-since']).toBe('Tue, 01 Apr 2025 10:00:00 GMT');
  });

  it('resolves relative Locations against the current URL', async () => {
    server = await startFixtureServer({ '/dir/a': redirect('b?x=1', 302), '/dir/b': redirect('../top', 302), '/top': { body: RSS } });
    const result = okOf(await get('/dir/a'));
    expect(result.finalUrl).toBe(server.url('/top'));
    expect(server.requests.map((r) => r.url)).toEqual(['/dir/a', '/dir/b?x=1', '/top']);
  });

  it('detects a loop', async () => {
    server = await startFixtureServer({ '/a': redirect('/b'), '/b': redirect('/a') });
    const result = await get('/a');
    expect(result).toMatchObject({ kind: 'http-error', status: 302, message: `fetch: redirect loop via ${server.url('/a')}`, permanentRedirect: null });
    expect(server.requests).toHaveLength(2);
  });

  it('detects a self-redirect as a loop', async () => {
    server = await startFixtureServer({ '/a': redirect('/a', 301) });
    expect(await get('/a')).toMatchObject({ kind: 'http-error', message: `fetch: redirect loop via ${server.url('/a')}` });
  });

  it('gives up after maxRedirects hops', async () => {
    const routes = Object.fromEntries([0, 1, 2, 3].map((i) => [`/r${i}`, redirect(`/r${i + 1}`, 301)]));
    server = await startFixtureServer({ ...routes, '/r4': { body: RSS } });
    const limited = await get('/r0', { ...opts, maxRedirects: 3 });
    expect(limited).toMatchObject({ kind: 'http-error', status: 301, message: `fetch: too many redirects (more than 3) from ${server.url('/r0')}`, permanentRedirect: null });
    // Exactly maxRedirects hops is allowed.
    expect(okOf(await get('/r0', { ...opts, maxRedirects: 4 })).permanentRedirect).toBe(server.url('/r4'));
  });

  it('defaults to at most 5 hops', async () => {
    const routes = Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [`/r${i}`, redirect(`/r${i + 1}`)]));
    server = await startFixtureServer({ ...routes, '/r6': { body: RSS } });
    expect(await get('/r0')).toMatchObject({ kind: 'http-error', message: expect.stringContaining('too many redirects (more than 5)') });
    expect(server.requestsTo('/r6')).toHaveLength(0);
  });

  it('refuses to follow a non-http Location', async () => {
    server = await startFixtureServer({ '/a': redirect('ftp://example.org/feed.xml') });
    expect(await get('/a')).toMatchObject({ kind: 'http-error', status: 302, message: 'fetch: redirect to unsupported scheme ftp: (ftp://example.org/feed.xml)' });
  });

  it('reports a redirect without a Location as an http-error', async () => {
    server = await startFixtureServer({ '/a': { status: 301 } });
    expect(await get('/a')).toMatchObject({ kind: 'http-error', status: 301, message: 'fetch: HTTP 301 Moved Permanently without a Location header' });
  });

  it('keeps a permanent redirect when the final URL then fails', async () => {
    server = await startFixtureServer({ '/old': redirect('/new', 308), '/new': { status: 404 } });
    expect(await get('/old')).toMatchObject({ kind: 'http-error', status: 404, permanentRedirect: server.url('/new') });
  });
});
