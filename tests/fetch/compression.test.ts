import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions } from '../../src/fetch/index.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 100_000, userAgent: 'storywire-test' };
const RSS = `<rss version="2.0"><channel><title>Ünïcödé</title>${'<item><title>x</title></item>'.repeat(50)}</channel></rss>`;
let server: FixtureServer;
afterEach(() => server?.close());

// Node's fetch decodes these itself even though we set Accept-Encoding by hand; these tests pin that down.
describe('compressed bodies', { timeout: 1000 }, () => {
  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync], // servers that send raw deflate without the zlib wrapper
    ['br', brotliCompressSync],
  ] as const)('decodes Content-Encoding %s', async (encoding, compress) => {
    const compressed = compress(Buffer.from(RSS));
    server = await startFixtureServer({ '/feed': { headers: { 'Content-Encoding': encoding }, body: compressed } });
    const result = await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, opts);
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && Buffer.from(result.body).toString('utf8')).toBe(RSS);
  });

  it('limits the decoded size, not the compressed size', async () => {
    const compressed = gzipSync(Buffer.from(RSS));
    server = await startFixtureServer({ '/feed': { headers: { 'Content-Encoding': 'gzip' }, body: compressed } });
    const limit = Buffer.byteLength(RSS) - 1;
    expect(compressed.byteLength).toBeLessThan(limit);
    const result = await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, { ...opts, maxBytes: limit });
    expect(result.kind).toBe('too-large');
  });

  it('reports a corrupt gzip body as a network failure', async () => {
    server = await startFixtureServer({ '/feed': { headers: { 'Content-Encoding': 'gzip' }, body: Buffer.from('definitely not gzip') } });
    const result = await fetchFeed({ url: server.url('/feed'), etag: null, lastModified: null }, opts);
    expect(result.kind).toBe('network');
  });
});
