// With settings.mediaProxy on, every picture storywire publishes (page, API, RSS, Atom, JSON Feed) is its own
// /media/ address, and those addresses serve the outlets' pictures and nothing else.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { mediaToken } from '../../src/publish/images.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { eachEngine } from '../helpers/engines.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { solidPng } from '../helpers/png.ts';

const NOW = Date.UTC(2026, 4, 20, 14);
const BASE = 'http://127.0.0.1:3000';

const youtube = (origin: string) => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:yt="http://www.youtube.com/xml/schemas/2015">
  <id>yt:channel:harbour</id><title>Harbour TV</title><link rel="alternate" href="${origin}/channel"/><updated>2026-05-20T13:00:00+00:00</updated>
  <entry><id>yt:video:v1</id><yt:videoId>v1</yt:videoId><title>Ferry service resumes after winter storms</title>
    <link rel="alternate" href="${origin}/watch?v=v1"/><published>2026-05-20T13:00:00+00:00</published><updated>2026-05-20T13:00:00+00:00</updated>
    <media:group><media:title>Ferry service resumes after winter storms</media:title>
      <media:content url="${origin}/v/v1" type="application/x-shockwave-flash" width="640" height="390"/>
      <media:thumbnail url="${origin}/vi/v1/hqdefault.png" width="480" height="360"/>
      <media:description>The island ferry runs again.</media:description></media:group></entry>
</feed>`;

const gazette = (origin: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Gazette</title><link>${origin}/</link><description>d</description>
  <item><title>Museum opens a new wing for maritime history</title><link>${origin}/museum</link><guid>g1</guid>
    <pubDate>Wed, 20 May 2026 12:00:00 GMT</pubDate><description>The wing holds ship models.</description>
    <media:content url="${origin}/img/museum.png" medium="image" width="300" height="200"/></item>
  <item><title>Town council approves cycle lanes</title><link>${origin}/lanes</link><guid>g2</guid>
    <pubDate>Wed, 20 May 2026 11:00:00 GMT</pubDate><description>Four new lanes.</description>
    <enclosure url="${origin}/img/lanes.png" type="image/png" length="0"/></item>
</channel></rss>`;

const PICTURES = ['/vi/v1/hqdefault.png', '/img/museum.png', '/img/lanes.png'];

eachEngine('the media proxy behind every published picture', (ctx) => {
  let server: FixtureServer;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    server = await startFixtureServer({});
    server.route('/videos.xml', { headers: { 'Content-Type': 'application/atom+xml' }, body: youtube(server.origin) });
    server.route('/gazette.xml', { headers: { 'Content-Type': 'application/rss+xml' }, body: gazette(server.origin) });
    for (const [i, picture] of [...PICTURES, '/img/secret.png'].entries()) server.route(picture, { headers: { 'Content-Type': 'image/png' }, body: solidPng(30 + i, 20) });
  });
  afterEach(async () => {
    await runtime?.close();
    await server.close();
  });

  it('publishes only /media/ addresses, which serve the pictures of stored entries and refuse any other', async () => {
    const config = parseConfig(
      JSON.stringify({ settings: { mediaProxy: 'on' }, sources: [{ id: 'harbour', url: server.url('/videos.xml') }, { id: 'gazette', url: server.url('/gazette.xml') }] }),
      'feeds.json',
    );
    runtime = await openRuntime(config, await ctx.fresh(), silentLogger(), () => NOW);
    await runtime.poll();
    const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime!.assigner.terms(q), publisher: runtime.publisher });
    const get = (path: string) => app.request(BASE + path);
    const proxied = PICTURES.map((p) => `${BASE}/media/${mediaToken(server.url(p))}`).sort();

    const api = (await (await get('/api/stories')).json()) as { stories: { image: { url: string; proxy_url: string } | null }[] };
    expect(api.stories.map((s) => s.image?.proxy_url).sort()).toEqual(proxied);

    // Each format names exactly the proxied pictures, and no outlet's picture URL.
    const origin = server.origin.replace(/[.]/g, '\\.');
    for (const format of ['rss', 'atom', 'json']) {
      const body = await (await get(`/feeds/all.${format}`)).text();
      const named = [...new Set([...body.matchAll(/http:\/\/127\.0\.0\.1:3000\/media\/[A-Za-z0-9_-]+/g)].map((m) => m[0]))].sort();
      expect(named, format).toEqual(proxied);
      expect(body, format).not.toMatch(new RegExp(`${origin}/(vi|img)/`));
    }

    const page = await get('/');
    const html = await page.text();
    const srcs = [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => `${BASE}${m[1]}`).sort();
    expect(srcs).toEqual(proxied);
    expect(page.headers.get('content-security-policy')).toContain("img-src 'self';");

    for (const url of proxied) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString(), url).toBe('PNG');
    }
    for (const picture of PICTURES) expect(server.requestsTo(picture), picture).toHaveLength(1);

    // Nothing else: not another picture on the same server, not a feed, not an article.
    for (const path of ['/img/secret.png', '/videos.xml', '/museum']) {
      expect((await get(`/media/${mediaToken(server.url(path))}`)).status, path).toBe(404);
    }
    expect(server.requestsTo('/img/secret.png')).toHaveLength(0);
    expect(server.requestsTo('/videos.xml')).toHaveLength(1);
  });
});
