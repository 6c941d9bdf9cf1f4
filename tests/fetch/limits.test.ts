import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions } from '../../src/fetch/index.ts';
import { hang, startFixtureServer, trickle, type FixtureServer } from '../helpers/fixture-server.ts';

const base: FetchOptions = { timeoutMs: 2000, maxBytes: 1000, userAgent: 'storywire-test' };
let server: FixtureServer;
afterEach(() => server?.close());

const get = (path: string, opts: FetchOptions = base, signal?: AbortSignal) =>
  fetchFeed({ url: server.url(path), etag: null, lastModified: null }, opts, signal);

describe('timeouts', { timeout: 1000 }, () => {
  it('times out on a server that never answers', async () => {
    server = await startFixtureServer({ '/hang': hang() });
    const result = await get('/hang', { ...base, timeoutMs: 100 });
    expect(result).toMatchObject({ kind: 'timeout', permanentRedirect: null });
    expect(result.kind === 'timeout' && result.message).toBe(`fetch: timed out after 100 ms (${server.url('/hang')})`);
  });

  it('times out on a server that trickles body bytes forever (the deadline covers the body)', async () => {
    server = await startFixtureServer({ '/slow': trickle('<', 10) });
    // A generous byte limit, so only the deadline can end this.
    const result = await get('/slow', { ...base, timeoutMs: 150, maxBytes: 10_000_000 });
    expect(result.kind).toBe('timeout');
  });

  it('reports a caller abort as network, not timeout', async () => {
    server = await startFixtureServer({ '/hang': hang() });
    const controller = new AbortController();
    const pending = get('/hang', base, controller.signal);
    setTimeout(() => controller.abort(), 20);
    const result = await pending;
    expect(result.kind).toBe('network');
    expect(result.kind === 'network' && result.message).toMatch(/^fetch: cancelled by caller/);
  });

  it('does not start when the caller signal is already aborted', async () => {
    server = await startFixtureServer({ '/feed': { body: 'x' } });
    const result = await get('/feed', base, AbortSignal.abort());
    expect(result.kind).toBe('network');
  });
});

describe('body limit', { timeout: 1000 }, () => {
  it('accepts a body of exactly maxBytes', async () => {
    server = await startFixtureServer({ '/feed': { body: 'a'.repeat(1000) } });
    const result = await get('/feed');
    expect(result.kind === 'ok' && result.body.byteLength).toBe(1000);
  });

  it('rejects early when Content-Length exceeds the limit', async () => {
    server = await startFixtureServer({ '/big': { body: 'a'.repeat(1001) } });
    const result = await get('/big');
    expect(result).toMatchObject({ kind: 'too-large', message: 'fetch: Content-Length 1001 exceeds the limit of 1000 bytes' });
  });

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    // Endless body and a long deadline: only the streamed count can end this within the test timeout.
    server = await startFixtureServer({ '/endless': trickle('b'.repeat(300), 5) });
    const result = await get('/endless', { ...base, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'too-large', message: 'fetch: body exceeds the limit of 1000 bytes' });
  });

  it('counts decompressed bytes, so a gzip bomb is too-large', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000));
    expect(bomb.byteLength).toBeLessThan(10_000);
    server = await startFixtureServer({ '/bomb': { headers: { 'Content-Encoding': 'gzip' }, body: bomb } });
    const result = await get('/bomb', { ...base, maxBytes: 64_000 });
    expect(result).toMatchObject({ kind: 'too-large', message: 'fetch: body exceeds the limit of 64000 bytes' });
  });
});

describe('content type', { timeout: 1000 }, () => {
  const imagesOnly: FetchOptions = {
    ...base,
    accept: 'image/*',
    refuseContentType: (type) => (type?.startsWith('image/') ? null : `not an image (${type})`),
  };

  it('sends the Accept it is given and reads a body whose type the caller takes', async () => {
    server = await startFixtureServer({ '/pic': { headers: { 'Content-Type': 'image/png' }, body: 'png' } });
    const result = await get('/pic', imagesOnly);
    expect(result).toMatchObject({ kind: 'ok', contentType: 'image/png' });
    expect(server.requestsTo('/pic')[0].headers.accept).toBe('image/*');
  });

  it('refuses a type the caller does not take, without reading the endless body', async () => {
    // An endless body: only refusing before reading can end this within the test timeout.
    server = await startFixtureServer({ '/page': trickle('<p>', 5, { 'Content-Type': 'text/html' }) });
    const result = await get('/page', { ...imagesOnly, timeoutMs: 5000, maxBytes: 10_000_000 });
    expect(result).toMatchObject({ kind: 'unwanted-type', message: 'fetch: not an image (text/html)' });
  });

  it('asks feeds for feed formats when no Accept is given', async () => {
    server = await startFixtureServer({ '/feed': { body: '<rss/>' } });
    await get('/feed');
    expect(server.requestsTo('/feed')[0].headers.accept).toMatch(/^application\/rss\+xml/);
  });
});
