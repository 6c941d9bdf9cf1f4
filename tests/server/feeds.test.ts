import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { chooseEncoding } from '../../src/server/representation.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import type { Storage as Store } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const T = Date.UTC(2026, 4, 20, 12);
const aliases = loadAliases();
const config = parseConfig(
  JSON.stringify({
    settings: { cacheMaxAge: '2m' },
    sources: [
      { id: 'alpha', title: 'Alpha News', url: 'https://alpha.example/feed', tags: ['europe'] },
      { id: 'beta', title: 'Beta Times', url: 'https://beta.example/feed', tags: ['asia'] },
    ],
    feeds: [
      { slug: 'ukraine', title: 'Ukraine', include: ['Zelensky', 'Kyiv'] },
      { slug: 'wide', title: 'Widely covered', minSources: 2 },
    ],
  }),
  'feeds.json',
);

describe('chooseEncoding', () => {
  it('prefers br, honours q=0 and wildcards', async () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip;q=1, br;q=0')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('')).toBeNull();
  });
});

eachEngine('feeds', (ctx) => {
let store: Store;
let app: ReturnType<typeof createApp>;
let publisher: ReturnType<typeof createPublisher>;

async function addStory(entries: { source: string; key: string; title: string; at: number }[]): Promise<number> {
  let story = 0;
  for (const e of entries) {
    const r = await store.upsertEntry(e.source, entryInput({ key: e.key, title: e.title, publishedAt: e.at }), T);
    if (r.kind !== 'inserted') throw new Error('insert');
    story ||= await store.createStory(r.id);
    await store.assignStory(r.id, story);
  }
  await store.refreshStory(story, entries[entries.length - 1].at);
  return story;
}

beforeEach(async () => {
  store = await ctx.open();
  await store.syncSources(config.sources);
  await addStory([{ source: 'alpha', key: 'a1', title: 'Zelenskyy calls for talks', at: T }, { source: 'beta', key: 'b1', title: 'Kremlin cool on talks offer', at: T + 60_000 }]);
  await addStory([{ source: 'beta', key: 'b2', title: 'Typhoon reaches the coast', at: T + 3_600_000 }]);
  publisher = createPublisher(store, () => config, () => aliases, () => T + 7_200_000);
  app = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (q) => normalizeForMatch(q, aliases), publisher });
});

describe('GET /feeds/{slug}.{format}', () => {
  it.each([
    ['rss', 'application/rss+xml; charset=utf-8'],
    ['atom', 'application/atom+xml; charset=utf-8'],
    ['json', 'application/feed+json; charset=utf-8'],
  ])('serves all.%s with its media type and validators', async (format, type) => {
    const res = await app.request(`http://feeds.test/feeds/all.${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(res.headers.get('last-modified')).toBe(new Date(T + 3_600_000).toUTCString());
    expect(res.headers.get('cache-control')).toBe('public, max-age=120');
    const body = await res.text();
    expect(body).toContain('urn:storywire:story:');
    expect(body).toContain('http://feeds.test/feeds/all.');
  });

  it('answers 304 to a matching ETag or a recent If-Modified-Since, with no body', async () => {
    const first = await app.request('/feeds/all.atom');
    const etag = first.headers.get('etag')!;
    const byEtag = await app.request('/feeds/all.atom', { headers: { 'If-None-Match': etag } });
    expect(byEtag.status).toBe(304);
    expect(await byEtag.text()).toBe('');
    const byDate = await app.request('/feeds/all.atom', { headers: { 'If-Modified-Since': first.headers.get('last-modified')! } });
    expect(byDate.status).toBe(304);
    const stale = await app.request('/feeds/all.atom', { headers: { 'If-None-Match': '"other"' } });
    expect(stale.status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await app.request('/feeds/all.rss', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).toBe('');
  });

  it('serves pre-compressed gzip and br bodies that decode to the same document', async () => {
    const plain = await (await app.request('/feeds/all.rss')).text();
    const gz = await app.request('/feeds/all.rss', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(plain);
    const br = await app.request('/feeds/all.rss', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(plain);
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
  });

  it('gives each encoding its own strong ETag, and If-None-Match matches the content in any encoding', async () => {
    const tags = new Map<string, string>();
    for (const enc of ['identity', 'gzip', 'br']) {
      const res = await app.request('/feeds/all.atom', { headers: { 'Accept-Encoding': enc } });
      tags.set(enc, res.headers.get('etag')!);
      expect(res.headers.get('etag')).toMatch(/^"[\w-]+(\.(gzip|br))?"$/);
    }
    expect(new Set(tags.values()).size).toBe(3);
    expect(tags.get('gzip')).toBe(tags.get('identity')!.replace(/"$/, '.gzip"'));
    for (const sent of tags.values()) {
      for (const enc of ['identity', 'gzip', 'br']) {
        const res = await app.request('/feeds/all.atom', { headers: { 'Accept-Encoding': enc, 'If-None-Match': sent } });
        expect(res.status).toBe(304);
        expect(res.headers.get('etag')).toBe(tags.get(enc));
      }
    }
  });

  it('allows cross-origin reads (browser feed readers) and never lets a body be sniffed', async () => {
    for (const format of ['rss', 'atom', 'json']) {
      const res = await app.request(`/feeds/ukraine.${format}`, { headers: { Origin: 'https://reader.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toBe('ETag');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const preflight = await app.request('/feeds/all.json', { method: 'OPTIONS', headers: { Origin: 'https://reader.example', 'Access-Control-Request-Method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const missing = await app.request('/feeds/nope.rss', { headers: { Origin: 'https://reader.example' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('applies curated rules: terms with name variants, and minimum sources', async () => {
    const ukraine = await (await app.request('/feeds/ukraine.json')).json();
    expect(ukraine.items.map((i: any) => i.title)).toEqual(['Zelenskyy calls for talks']);
    const wide = await (await app.request('/feeds/wide.json')).json();
    expect(wide.items).toHaveLength(1);
    const all = await (await app.request('/feeds/all.json')).json();
    expect(all.items.map((i: any) => i.title)).toEqual(['Typhoon reaches the coast', 'Zelenskyy calls for talks']);
  });

  it('answers 404 JSON for an unknown slug and 404 for an unknown extension', async () => {
    const unknown = await app.request('/feeds/nope.rss');
    expect(unknown.status).toBe(404);
    const error = (await unknown.json()).error;
    expect(error.code).toBe('not_found');
    // The hint lists the feeds that exist, and each of them answers.
    expect(error.message).toMatch(/feeds: all, ukraine, wide\b/);
    for (const slug of ['all', 'ukraine', 'wide']) expect((await app.request(`/feeds/${slug}.rss`)).status).toBe(200);
    expect((await app.request('/feeds/all.xml')).status).toBe(404);
  });

  it('re-renders after invalidation when stories change, and reports the changed feeds', async () => {
    const before = (await app.request('http://feeds.test/feeds/all.rss')).headers.get('etag');
    await addStory([{ source: 'alpha', key: 'a9', title: 'Election results announced', at: T + 5_000_000 }]);
    expect((await app.request('http://feeds.test/feeds/all.rss')).headers.get('etag')).toBe(before);
    const { changed } = await publisher.invalidate();
    expect(changed).toEqual(['all\nrss\nhttp://feeds.test']);
    const after = await app.request('http://feeds.test/feeds/all.rss');
    expect(after.headers.get('etag')).not.toBe(before);
    expect(await after.text()).toContain('Election results announced');
  });
});

describe('a feed term that can never match', () => {
  it('is left out instead of failing renders; a feed with only such terms selects nothing', async () => {
    const odd = parseConfig(JSON.stringify({ sources: [{ id: 'alpha', url: 'https://alpha.example/feed' }], feeds: [{ slug: 'odd', title: 'Odd', include: ['the'] }, { slug: 'mixed', title: 'Mixed', include: ['the', 'typhoon'] }] }), 'feeds.json');
    const oddPublisher = createPublisher(store, () => odd, () => aliases);
    const oddApp = createApp({ store, config: () => odd, log: silentLogger(), searchTerms: (q) => normalizeForMatch(q, aliases), publisher: oddPublisher });
    const empty = await oddApp.request('/feeds/odd.json');
    expect(empty.status).toBe(200);
    expect((await empty.json()).items).toEqual([]);
    const mixed = await (await oddApp.request('/feeds/mixed.json')).json();
    expect(mixed.items.map((i: any) => i.title)).toEqual(['Typhoon reaches the coast']);
  });
});
});
