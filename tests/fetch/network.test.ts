import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions } from '../../src/fetch/index.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const opts: FetchOptions = { timeoutMs: 2000, maxBytes: 100_000, userAgent: 'storywire-test' };
const fetchUrl = (url: string) => fetchFeed({ url, etag: null, lastModified: null }, opts);
let server: FixtureServer | undefined;
afterEach(() => server?.close());

/** A port that was just free: listen, note the port, close. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('network failures', { timeout: 1000 }, () => {
  it('reports a refused connection with its address and cause code', async () => {
    const port = await closedPort();
    const result = await fetchUrl(`http://127.0.0.1:${port}/feed`);
    expect(result).toMatchObject({ kind: 'network', permanentRedirect: null, message: `fetch: connection refused (127.0.0.1:${port}) [ECONNREFUSED]` });
  });

  it('reports a connection cut mid-body', async () => {
    server = await startFixtureServer({
      '/cut': (_req, res) => {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 10);
      },
    });
    const result = await fetchUrl(server.url('/cut'));
    expect(result.kind).toBe('network');
    expect(result.kind === 'network' && result.message).toMatch(/^fetch: .+\[[A-Z_]+\]$/);
  });

  it('tries once more when the server drops the connection before answering (a stale kept-alive socket)', async () => {
    let requests = 0;
    server = await startFixtureServer({
      '/flaky': (_req, res) => {
        if (++requests === 1) return void res.socket?.destroy();
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        res.end('<rss version="2.0"><channel><title>t</title></channel></rss>');
      },
      '/dead': (_req, res) => void res.socket?.destroy(),
    });
    expect(await fetchUrl(server.url('/flaky'))).toMatchObject({ kind: 'ok', status: 200 });
    expect(requests).toBe(2);
    // Only once: a server that always drops the connection is a network failure.
    expect((await fetchUrl(server.url('/dead'))).kind).toBe('network');
  });

  it('reports an invalid URL without trying', async () => {
    expect(await fetchUrl('not a url')).toMatchObject({ kind: 'network', message: 'fetch: invalid URL "not a url"', permanentRedirect: null });
  });

  it.each(['ftp://example.org/feed.xml', 'file:///etc/passwd', 'javascript:alert(1)'])('refuses the non-http URL %s', async (url) => {
    const result = await fetchUrl(url);
    expect(result.kind).toBe('network');
    expect(result.kind === 'network' && result.message).toMatch(/^fetch: unsupported URL scheme [a-z]+: \(only http and https\)/);
  });
});
