import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import { mediaProxyUrl, mediaToken, parseMediaToken } from '../../src/publish/images.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { sniffImage } from '../../src/server/image-sniff.ts';
import { entryListSchema, storyListSchema } from '../../src/server/schemas.ts';
import { MAX_STALE_MS, MediaProxy, MIN_FRESH_MS, REFUSAL_MS } from '../../src/server/media-proxy.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import type { Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';
import { redirect, startFixtureServer, trickle, type FixtureServer } from '../helpers/fixture-server.ts';

const T = Date.UTC(2026, 4, 20, 12);
const aliases = loadAliases();
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG-signed bytes: what the proxy checks of a picture is its signature, then it passes the bytes on untouched. */
const png = (fill: number, size = 200) => Uint8Array.from([...PNG_SIGNATURE, ...new Array<number>(size - 8).fill(fill)]);
const etagOf = (bytes: Uint8Array) => `"${createHash('sha256').update(bytes).digest('base64url')}"`;

function configWith(settings: object): Config {
  // The newsroom's feed is served from the test server's address, so the proxy may fetch pictures from there.
  return parseConfig(JSON.stringify({ settings, sources: [{ id: 'alpha', url: 'https://alpha.example/feed' }, { id: 'newsroom', url: `${upstream.origin}/feed.xml` }] }), 'feeds.json');
}

let upstream: FixtureServer;
beforeAll(async () => {
  upstream = await startFixtureServer();
});
afterAll(() => upstream.close());

describe('media addresses', () => {
  it('round-trips a URL through its token, and builds the absolute proxied address', () => {
    const url = 'https://img.example/a b/ü.jpg?w=300&h=200';
    expect(parseMediaToken(mediaToken(url))).toEqual({ url });
    expect(mediaToken(url)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(mediaProxyUrl('https://news.example/', url)).toBe(`https://news.example/media/${mediaToken(url)}`);
  });

  it('refuses what mediaToken never writes: other alphabets, padding, stray bits, bad UTF-8, non-http URLs, huge tokens', () => {
    const refused = (token: string) => 'error' in parseMediaToken(token);
    expect(refused('aHR0cHM6Ly9pbWcuZXhhbXBsZS9hLmpwZw==')).toBe(true);
    expect(refused('aHR0cHM6Ly9pbWcuZXhhbXBsZS9hLmpwZw+/')).toBe(true);
    // "aGk" is "hi"; "aGl" decodes to the same bytes with a stray bit set.
    expect(refused('aGl')).toBe(true);
    expect(refused(Buffer.from([0xff, 0xfe, 0x41]).toString('base64url'))).toBe(true);
    expect(refused(mediaToken('javascript:alert(1)'))).toBe(true);
    expect(refused(mediaToken('ftp://img.example/a.jpg'))).toBe(true);
    expect(refused(mediaToken('/relative.jpg'))).toBe(true);
    expect(refused(mediaToken(`https://img.example/${'a'.repeat(9000)}`))).toBe(true);
    expect(refused(mediaToken('https://img.example/a.jpg'))).toBe(false);
  });
});

describe('image signatures', () => {
  const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
  const box = (major: string, ...compatible: string[]) => bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible);

  it('knows JPEG, PNG, GIF, WebP, AVIF, BMP and ICO', () => {
    expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffImage(png(0))).toBe('image/png');
    expect(sniffImage(bytes('GIF89a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffImage(bytes('GIF87a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffImage(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(box('avif', 'mif1', 'miaf'))).toBe('image/avif');
    expect(sniffImage(box('mif1', 'avif'))).toBe('image/avif');
    expect(sniffImage(bytes('BM', new Array<number>(30).fill(0)))).toBe('image/bmp');
    expect(sniffImage(bytes([0, 0, 1, 0, 1, 0], new Array<number>(20).fill(0)))).toBe('image/x-icon');
  });

  it('refuses markup, SVG, HEIC, video and the empty body', () => {
    expect(sniffImage(bytes('<!doctype html><img src=x onerror=alert(1)>'))).toBeNull();
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(box('heic', 'mif1', 'heic'))).toBeNull();
    expect(sniffImage(box('isom', 'iso2', 'mp41'))).toBeNull();
    expect(sniffImage(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });
});

describe('MediaProxy', () => {
  const limits = { timeoutMs: 2000, maxBytes: 10_000, userAgent: 'storywire-test', feedHosts: ['127.0.0.1'] };

  it('makes one upstream request for concurrent asks of one picture', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    upstream.route('/together.png', async (_req, res) => {
      await held;
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(png(7));
    });
    const proxy = new MediaProxy();
    const asks = [1, 2, 3].map(() => proxy.get(upstream.url('/together.png'), limits));
    release();
    const outcomes = await Promise.all(asks);
    expect(outcomes.map((o) => o.kind)).toEqual(['image', 'image', 'image']);
    expect(upstream.requestsTo('/together.png')).toHaveLength(1);
  });

  it("connects to an internal address only when a feed is served from there: this machine under any of its names", async () => {
    upstream.route('/inside.png', { headers: { 'Content-Type': 'image/png' }, body: png(8) });
    const inside = upstream.url('/inside.png');
    const byName = inside.replace('127.0.0.1', 'localhost');
    // No feed on this machine: neither the address nor a name for it is reached.
    for (const url of [inside, byName]) {
      const outcome = await new MediaProxy().get(url, { ...limits, feedHosts: ['203.0.113.5'] });
      expect(outcome, url).toMatchObject({ kind: 'refused', code: 'media_unreachable' });
      expect(outcome.kind === 'refused' && outcome.message, url).toMatch(/internal address/);
    }
    expect(upstream.requestsTo('/inside.png')).toHaveLength(0);
    // A feed on 127.0.0.1 makes this machine welcome, by address and by name.
    for (const url of [inside, byName]) expect((await new MediaProxy().get(url, limits)).kind, url).toBe('image');
    // A redirect from a welcome host inward elsewhere is refused at the connection, hop by hop.
    upstream.route('/to-metadata.png', { status: 302, headers: { Location: 'http://169.254.169.254/latest/meta-data/' } });
    const redirected = await new MediaProxy().get(upstream.url('/to-metadata.png'), limits);
    expect(redirected.kind === 'refused' && redirected.message).toMatch(/169\.254\.169\.254.*internal address/);
  });

  it('keeps pictures within its byte budget, dropping the least recently used', async () => {
    for (const n of [1, 2, 3]) upstream.route(`/budget${n}.png`, { headers: { 'Content-Type': 'image/png' }, body: png(n, 1000) });
    const proxy = new MediaProxy(Date.now, 2600);
    for (const n of [1, 2, 3]) expect((await proxy.get(upstream.url(`/budget${n}.png`), limits)).kind).toBe('image');
    expect(proxy.bytes).toBeLessThanOrEqual(2600);
    expect((await proxy.get(upstream.url('/budget3.png'), limits)).kind).toBe('image');
    expect((await proxy.get(upstream.url('/budget1.png'), limits)).kind).toBe('image');
    expect(upstream.requestsTo('/budget3.png')).toHaveLength(1);
    expect(upstream.requestsTo('/budget1.png')).toHaveLength(2);
  });
});

eachEngine('media proxy', (ctx) => {
  let store: Storage;
  let config: Config;
  let clock: number;
  let metrics: ReturnType<typeof createMetrics>;
  let app: ReturnType<typeof createApp>;
  let picture: number;

  /** Stores an entry whose picture is `path` on the upstream server, and returns its proxied address's path. */
  async function entryWithPicture(path: string): Promise<string> {
    const url = upstream.url(path);
    const r = await store.upsertEntry('alpha', entryInput({ key: `k${++picture}`, image: { url, width: null, height: null } }), T);
    if (r.kind !== 'inserted') throw new Error('insert');
    await store.startStory(r.id);
    return `/media/${mediaToken(url)}`;
  }

  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const outcomes = async () => (await metrics.mediaRequests.get()).values.map((v) => [v.labels.outcome, v.value]);

  beforeEach(async () => {
    store = await ctx.open();
    config = configWith({ mediaProxy: 'on', mediaMaxBytes: 1024, timeout: '2s', userAgent: 'storywire-test (+https://example.org)' });
    await store.syncSources(config.sources);
    clock = T;
    picture = 0;
    metrics = createMetrics(null, false);
    const publisher = createPublisher(store, () => config, () => aliases, () => clock);
    app = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (q) => normalizeForMatch(q, aliases), publisher, metrics, now: () => clock });
  });

  it("serves an entry's picture: its bytes and type, a strong ETag, a week's max-age and headers that let nothing run", async () => {
    const bytes = png(1);
    upstream.route(`/${ctx.engine}/serve.png`, { headers: { 'Content-Type': 'image/png', 'Set-Cookie': 'track=1' }, body: bytes });
    const path = await entryWithPicture(`/${ctx.engine}/serve.png`);
    const res = await get(path, { Cookie: 'session=reader', Referer: 'https://news.example/page' });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': '200',
      etag: etagOf(bytes),
      'cache-control': 'public, max-age=604800',
      'content-security-policy': "default-src 'none'; sandbox",
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    expect(res.headers.get('set-cookie')).toBeNull();
    const [sent] = upstream.requestsTo(`/${ctx.engine}/serve.png`);
    expect(sent.headers['user-agent']).toBe('storywire-test (+https://example.org)');
    expect(sent.headers.accept).toMatch(/^image\//);
    expect(sent.headers.cookie).toBeUndefined();
    expect(sent.headers.referer).toBeUndefined();
    expect(await outcomes()).toEqual([['fetched', 1]]);
  });

  it('fetches a picture stored with credentials in its URL without them, as storywire publishes URLs', async () => {
    const bytes = png(15);
    upstream.route(`/${ctx.engine}/cred.png`, { headers: { 'Content-Type': 'image/png' }, body: bytes });
    const url = upstream.url(`/${ctx.engine}/cred.png`).replace('http://', 'http://user:secret@');
    const r = await store.upsertEntry('alpha', entryInput({ key: 'cred', image: { url, width: null, height: null } }), T);
    if (r.kind !== 'inserted') throw new Error('insert');
    const res = await get(`/media/${mediaToken(url)}`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect(upstream.requestsTo(`/${ctx.engine}/cred.png`)[0].headers.authorization).toBeUndefined();
  });

  it('answers 304 to its own ETag, and HEAD with the headers only', async () => {
    const bytes = png(2);
    upstream.route(`/${ctx.engine}/etag.png`, { headers: { 'Content-Type': 'image/png' }, body: bytes });
    const path = await entryWithPicture(`/${ctx.engine}/etag.png`);
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    const again = await get(path, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    expect((await get(path, { 'If-None-Match': '"other"' })).status).toBe(200);
    const head = await app.request(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(await head.text()).toBe('');
  });

  it('refuses a URL that no entry has as its picture, without fetching it', async () => {
    upstream.route(`/${ctx.engine}/stranger.png`, { headers: { 'Content-Type': 'image/png' }, body: png(3) });
    await entryWithPicture(`/${ctx.engine}/known.png`);
    const res = await get(`/media/${mediaToken(upstream.url(`/${ctx.engine}/stranger.png`))}`);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no stored entry has this picture/) });
    expect(upstream.requestsTo(`/${ctx.engine}/stranger.png`)).toHaveLength(0);
    expect(upstream.requestsTo(`/${ctx.engine}/known.png`)).toHaveLength(0);
  });

  it('refuses a response that is not an image, without reading its endless body', async () => {
    upstream.route(`/${ctx.engine}/page`, trickle('<p>', 5, { 'Content-Type': 'text/html; charset=utf-8' }));
    const res = await get(await entryWithPicture(`/${ctx.engine}/page`));
    expect(res.status).toBe(502);
    expect(await errorOf(res)).toMatchObject({ code: 'media_not_image', message: expect.stringMatching(/not an image: Content-Type text\/html/) });
  });

  it('refuses SVG, which can carry scripts', async () => {
    upstream.route(`/${ctx.engine}/logo.svg`, { headers: { 'Content-Type': 'image/svg+xml' }, body: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' });
    const res = await get(await entryWithPicture(`/${ctx.engine}/logo.svg`));
    expect(res.status).toBe(502);
    expect(await errorOf(res)).toMatchObject({ code: 'media_not_image', message: expect.stringMatching(/SVG is not served/) });
  });

  it('refuses bytes that are not an image although they say they are', async () => {
    upstream.route(`/${ctx.engine}/fake.jpg`, { headers: { 'Content-Type': 'image/jpeg' }, body: '<html><script>alert(1)</script></html>' });
    const res = await get(await entryWithPicture(`/${ctx.engine}/fake.jpg`));
    expect(res.status).toBe(502);
    expect(await errorOf(res)).toMatchObject({ code: 'media_not_image_bytes', message: expect.stringMatching(/not a JPEG, PNG, GIF, WebP, AVIF, BMP or ICO image although it says image\/jpeg/) });
  });

  it('refuses a body over settings.mediaMaxBytes, by its length or while streaming an endless one', async () => {
    upstream.route(`/${ctx.engine}/big.png`, { headers: { 'Content-Type': 'image/png' }, body: png(4, 1025) });
    upstream.route(`/${ctx.engine}/endless.png`, trickle(png(5, 100), 5, { 'Content-Type': 'image/png' }));
    upstream.route(`/${ctx.engine}/fits.png`, { headers: { 'Content-Type': 'image/png' }, body: png(6, 1024) });
    const big = await get(await entryWithPicture(`/${ctx.engine}/big.png`));
    expect(big.status).toBe(502);
    expect(await errorOf(big)).toMatchObject({ code: 'media_too_large', message: expect.stringMatching(/Content-Length 1025 exceeds the limit of 1024 bytes/) });
    const endless = await get(await entryWithPicture(`/${ctx.engine}/endless.png`));
    expect(await errorOf(endless)).toMatchObject({ code: 'media_too_large', message: expect.stringMatching(/body exceeds the limit of 1024 bytes/) });
    expect((await get(await entryWithPicture(`/${ctx.engine}/fits.png`))).status).toBe(200);
  });

  it('follows a redirect to an image, and refuses one to something else', async () => {
    const bytes = png(8);
    upstream.route(`/${ctx.engine}/moved.png`, redirect(`/${ctx.engine}/real.png`));
    upstream.route(`/${ctx.engine}/real.png`, { headers: { 'Content-Type': 'image/png' }, body: bytes });
    upstream.route(`/${ctx.engine}/trap.png`, redirect(`/${ctx.engine}/login`));
    upstream.route(`/${ctx.engine}/login`, { headers: { 'Content-Type': 'text/html' }, body: '<form>' });
    const moved = await get(await entryWithPicture(`/${ctx.engine}/moved.png`));
    expect(moved.status).toBe(200);
    expect(new Uint8Array(await moved.arrayBuffer())).toEqual(bytes);
    const trap = await get(await entryWithPicture(`/${ctx.engine}/trap.png`));
    expect(trap.status).toBe(502);
    expect(await errorOf(trap)).toMatchObject({ code: 'media_not_image' });
    expect(upstream.requestsTo(`/${ctx.engine}/login`)).toHaveLength(1);
  });

  it('answers an upstream error status with 502 and a timeout with 504', async () => {
    upstream.route(`/${ctx.engine}/gone.png`, { status: 404, body: 'gone' });
    upstream.route(`/${ctx.engine}/slow.png`, () => undefined);
    config = configWith({ mediaProxy: true, timeout: '1s' });
    const gone = await get(await entryWithPicture(`/${ctx.engine}/gone.png`));
    expect(gone.status).toBe(502);
    expect(await errorOf(gone)).toMatchObject({ code: 'media_upstream_error', message: expect.stringMatching(/HTTP 404/) });
    const slow = await get(await entryWithPicture(`/${ctx.engine}/slow.png`));
    expect(slow.status).toBe(504);
    expect(await errorOf(slow)).toMatchObject({ code: 'media_timeout' });
  });

  it('answers 4xx to tokens that are not ours, never 500, and fetches nothing', async () => {
    const before = upstream.requests.length;
    for (const token of ['not*base64', 'aGl', mediaToken('javascript:alert(1)'), mediaToken('file:///etc/passwd'), 'A'.repeat(12_000)]) {
      const res = await get(`/media/${token}`);
      expect(res.status, token.slice(0, 40)).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid_parameter');
    }
    expect(upstream.requests.length).toBe(before);
  });

  it("refuses a stored picture's URL with a control character inserted, which PostgreSQL's NUL-free text would match, and fetches nothing", async () => {
    upstream.route(`/${ctx.engine}/nul.png`, { headers: { 'Content-Type': 'image/png' }, body: png(16) });
    await entryWithPicture(`/${ctx.engine}/nul.png`);
    const before = upstream.requests.length;
    const stored = upstream.url(`/${ctx.engine}/nul.png`);
    for (const url of [stored.replace('nul.png', 'n\u0000ul.png'), `${stored}?\u0000`, `${stored}\u0001`]) {
      const res = await get(`/media/${mediaToken(url)}`);
      expect(res.status, JSON.stringify(url)).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid_parameter');
    }
    expect(upstream.requests.length).toBe(before);
  });

  it('answers 404 saying so while the proxy is off (the default), and fetches nothing', async () => {
    config = configWith({});
    upstream.route(`/${ctx.engine}/off.png`, { headers: { 'Content-Type': 'image/png' }, body: png(9) });
    const res = await get(await entryWithPicture(`/${ctx.engine}/off.png`));
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'not_found', message: expect.stringMatching(/media proxy is off/) });
    expect(upstream.requestsTo(`/${ctx.engine}/off.png`)).toHaveLength(0);
    expect(await outcomes()).toEqual([['off', 1]]);
  });

  it('serves a fresh picture from its cache, then revalidates it upstream with its validators once stale', async () => {
    const bytes = png(10);
    const route = `/${ctx.engine}/cached.png`;
    upstream.route(route, { headers: { 'Content-Type': 'image/png', ETag: '"up-1"', 'Last-Modified': 'Tue, 19 May 2026 10:00:00 GMT', 'Cache-Control': 'max-age=60' }, body: bytes });
    const path = await entryWithPicture(route);
    expect((await get(path)).status).toBe(200);
    // max-age=60 is raised to the one-hour minimum: still fresh just before it.
    clock += MIN_FRESH_MS - 1000;
    const cached = await get(path);
    expect(new Uint8Array(await cached.arrayBuffer())).toEqual(bytes);
    expect(upstream.requestsTo(route)).toHaveLength(1);
    upstream.route(route, { status: 304, headers: { ETag: '"up-1"' } });
    clock += 2000;
    const revalidated = await get(path);
    expect(revalidated.status).toBe(200);
    expect(new Uint8Array(await revalidated.arrayBuffer())).toEqual(bytes);
    const sent = upstream.requestsTo(route);
    expect(sent).toHaveLength(2);
    expect(sent[1].headers['if-none-match']).toBe('"up-1"');
    expect(sent[1].headers['if-modified-since']).toBe('Tue, 19 May 2026 10:00:00 GMT');
    expect(await outcomes()).toEqual([['fetched', 1], ['cache', 1], ['revalidated', 1]]);
  });

  it('takes a changed picture on revalidation, and keeps serving the one it has while upstream fails', async () => {
    const route = `/${ctx.engine}/changing.png`;
    upstream.route(route, { headers: { 'Content-Type': 'image/png', ETag: '"v1"' }, body: png(11) });
    const path = await entryWithPicture(route);
    const first = await get(path);
    clock += 2 * 86_400_000;
    upstream.route(route, { headers: { 'Content-Type': 'image/png', ETag: '"v2"' }, body: png(12) });
    const changed = await get(path);
    expect(new Uint8Array(await changed.arrayBuffer())).toEqual(png(12));
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    clock += 2 * 86_400_000;
    upstream.route(route, { status: 503, body: 'down' });
    const stale = await get(path);
    expect(stale.status).toBe(200);
    expect(new Uint8Array(await stale.arrayBuffer())).toEqual(png(12));
    expect(upstream.requestsTo(route)).toHaveLength(3);
    // Not forever: a week after the outlet last gave the picture, an outlet still down means no picture.
    clock += MAX_STALE_MS;
    const expired = await get(path);
    expect(expired.status).toBe(502);
    expect((await errorOf(expired)).code).toBe('media_upstream_error');
  });

  it('drops its copy when the outlet says the picture is gone, rather than serving it on', async () => {
    const route = `/${ctx.engine}/removed.png`;
    upstream.route(route, { headers: { 'Content-Type': 'image/png' }, body: png(13) });
    const path = await entryWithPicture(route);
    expect((await get(path)).status).toBe(200);
    clock += 2 * 86_400_000;
    upstream.route(route, { status: 404, body: 'gone' });
    const gone = await get(path);
    expect(gone.status).toBe(502);
    expect((await errorOf(gone)).code).toBe('media_upstream_error');
    // Once the refusal is forgotten the outlet is asked again (nothing cached to serve meanwhile), and answers again.
    clock += REFUSAL_MS + 1;
    upstream.route(route, { headers: { 'Content-Type': 'image/png' }, body: png(16) });
    const back = await get(path);
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(png(16));
    expect(upstream.requestsTo(route)).toHaveLength(3);
  });

  it("gives API pictures a proxy_url while the proxy is on, which serves the picture; null while it is off", async () => {
    const bytes = png(14);
    const route = `/${ctx.engine}/api.png`;
    upstream.route(route, { headers: { 'Content-Type': 'image/png' }, body: bytes });
    const path = await entryWithPicture(route);
    type Image = { url: string; proxy_url: string | null };
    const stories = await (await get('/api/stories')).json();
    expect(storyListSchema.safeParse(stories).success).toBe(true);
    const story = (stories as { stories: { image: Image; entries: { image: Image }[] }[] }).stories[0];
    expect(story.image).toEqual({ url: upstream.url(route), width: null, height: null, proxy_url: `http://localhost${path}` });
    expect(story.entries[0].image.proxy_url).toBe(`http://localhost${path}`);
    const served = await get(new URL(story.image.proxy_url!).pathname);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);

    config = configWith({ mediaProxy: true, publicUrl: 'https://news.example/' });
    const entries = await (await get('/api/entries')).json();
    expect(entryListSchema.safeParse(entries).success).toBe(true);
    expect((entries as { entries: { image: Image }[] }).entries[0].image.proxy_url).toBe(`https://news.example${path}`);
    config = configWith({ mediaProxy: 'off' });
    const off = (await (await get(`/api/stories/${(stories as { stories: { id: number }[] }).stories[0].id}`)).json()) as { image: Image };
    expect(off.image).toEqual({ url: upstream.url(route), width: null, height: null, proxy_url: null });
  });

  it('no longer serves a cached picture once no entry has it', async () => {
    const route = `/${ctx.engine}/dropped.png`;
    upstream.route(route, { headers: { 'Content-Type': 'image/png' }, body: png(13) });
    const path = await entryWithPicture(route);
    expect((await get(path)).status).toBe(200);
    const edit = entryInput({ key: `k${picture}`, title: 'Edited', image: { url: upstream.url(`/${ctx.engine}/other.png`), width: null, height: null } });
    expect((await store.upsertEntry('alpha', edit, T + 1)).kind).toBe('updated');
    expect((await get(path)).status).toBe(404);
  });
});
