import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import type { Storage as Store } from '../../src/store/index.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const aliases = loadAliases();
const T = Date.UTC(2026, 4, 20, 12);
const NOW = T + 3 * 3600_000;
const config = parseConfig(
  JSON.stringify({
    sources: [
      { id: 'alpha', title: 'Alpha Times', url: 'https://alpha.example/feed', tags: ['europe'] },
      { id: 'beta', title: 'Beta Post', url: 'https://beta.example/feed', tags: ['asia'] },
      { id: 'gamma', url: 'https://gamma.example/feed' },
    ],
    feeds: [
      { slug: 'europe', title: 'Europe desk', description: 'Stories from European outlets.', tags: ['europe'] },
      { slug: 'kyiv', title: 'Kyiv watch', include: ['Kyiv'] },
      { slug: 'wide', title: 'Widely covered', minSources: 2, sort: 'top' },
    ],
  }),
  'feeds.json',
);
eachEngine('web pages', (ctx) => {
let store: Store;
let app: ReturnType<typeof createApp>;

async function addEntry(sourceId: string, key: string, publishedAt: number, title: string, storyId?: number): Promise<number> {
  const r = await store.upsertEntry(sourceId, entryInput({ key, publishedAt, title, summary: `Summary of ${title}` }), T);
  if (r.kind !== 'inserted') throw new Error('insert failed');
  await store.indexForSearch(r.id, normalizeForMatch(`${title} Summary of ${title}`, aliases));
  const story = storyId ?? (await store.createStory(r.id));
  await store.assignStory(r.id, story);
  await store.refreshStory(story, T);
  return story;
}

async function page(path: string) {
  const res = await app.request(path);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** The headlines of the story list, in page order. */
function headlines(html: string): string[] {
  return [...html.matchAll(/<h2 id="story-\d+"><a href="[^"]*">([^<]*)<\/a><\/h2>/g)].map((m) => m[1]);
}

beforeEach(async () => {
  store = await ctx.open();
  await store.syncSources(config.sources);
  app = createApp({
    store,
    config: () => config,
    log: silentLogger(),
    searchTerms: (text) => normalizeForMatch(text, aliases),
    publisher: createPublisher(store, () => config, () => aliases),
    now: () => NOW,
  });
});

describe('GET /', () => {
  it('lists the latest stories newest first with time, source count and every outlet', async () => {
    const shared = await addEntry('alpha', 'a1', T, 'Parliament passes budget');
    await addEntry('beta', 'b1', T + 60_000, 'Budget approved by lawmakers', shared);
    await addEntry('gamma', 'g1', T + 3600_000, 'Storm reaches the coast');
    const { status, headers, html } = await page('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(headlines(html)).toEqual(['Storm reaches the coast', 'Parliament passes budget']);
    expect(html).toContain(`<time datetime="${new Date(T).toISOString().replace('.000Z', 'Z')}"`);
    expect(html).toContain('3 hours ago');
    expect(html).toContain('Wed 20 May 2026, 12:00 UTC');
    expect(html).toContain('2 sources');
    expect(html).toMatch(/<details><summary>Covered by Alpha Times and Beta Post<\/summary>/);
    expect(html).toContain('<a href="https://news.example/b1">Budget approved by lawmakers</a>');
    expect(html).toContain(`href="/stories/${shared}"`);
  });

  it('announces and links the RSS, Atom and JSON feeds of the page, and the curated feeds', async () => {
    const { html } = await page('/');
    for (const [type, ext] of [['application/rss+xml', 'rss'], ['application/atom+xml', 'atom'], ['application/feed+json', 'json']]) {
      expect(html).toMatch(new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="http://localhost/feeds/all\\.${ext}"/>`));
      expect(html).toContain(`<a href="/feeds/all.${ext}"`);
    }
    expect(html).toContain('<a href="/" aria-current="page">All</a>');
    expect(html).toContain('<a href="/feeds/europe">Europe desk</a>');
    expect(html).toMatch(/<label for="q"[^>]*>Search stories<\/label>/);
  });

  it('pages 30 stories at a time with an "older" link that neither skips nor repeats', async () => {
    for (let i = 0; i < 65; i++) await addEntry('alpha', `k${i}`, T - (i % 7) * 60_000, `Story number ${i}`);
    const seen: string[] = [];
    let path: string | null = '/';
    while (path) {
      const { html } = await page(path);
      seen.push(...headlines(html));
      path = /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;
    }
    expect(seen).toHaveLength(65);
    expect(new Set(seen).size).toBe(65);
  });

  it('escapes hostile text everywhere it appears', async () => {
    await addEntry('alpha', 'x', T, '<script>alert(1)</script> & "quotes"');
    const { html } = await page('/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E');
    expect(html).not.toContain('<script');
    expect(html).toContain('value="&lt;script&gt;alert(2)&lt;/script&gt;"');
    const { html: listing } = await page('/');
    expect(listing).not.toContain('<script');
    expect(listing).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });

  it('never links a javascript: URL from a feed', async () => {
    const r = await store.upsertEntry('alpha', entryInput({ key: 'js', link: 'javascript:alert(1)', title: 'Sneaky' }), T);
    if (r.kind !== 'inserted') throw new Error('insert failed');
    const story = await store.createStory(r.id);
    await store.assignStory(r.id, story);
    await store.refreshStory(story, T);
    const { html } = await page('/');
    expect(html).toContain('Sneaky');
    expect(html).not.toContain('javascript:');
  });

  it('sends a strict Content-Security-Policy and the other safety headers', async () => {
    const { headers } = await page('/');
    const csp = headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBeTruthy();
  });

  it("shows a story's picture with its size, lazily, without a referrer, described by the headline, and allows only its origin", async () => {
    const id = await addEntry('alpha', 'p1', T, 'Flood waters rise in the delta');
    const r = await store.upsertEntry('beta', entryInput({ key: 'p2', publishedAt: T + 60_000, title: 'Delta floods spread', image: { url: 'https://img.beta.example/a.jpg?w=640&h=360', width: 640, height: 360 } }), T);
    if (r.kind !== 'inserted') throw new Error('insert failed');
    await store.assignStory(r.id, id);
    await store.refreshStory(id, T);
    await addEntry('gamma', 'p3', T + 120_000, 'A story with no picture');
    for (const path of ['/', `/stories/${id}`]) {
      const { headers, html } = await page(path);
      const imgs = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
      expect(imgs, path).toHaveLength(1);
      const img = imgs[0];
      // The representative (alpha's) report has none, so the story shows beta's.
      expect(img).toContain('src="https://img.beta.example/a.jpg?w=640&amp;h=360"');
      expect(img).toContain('width="640"');
      expect(img).toContain('height="360"');
      expect(img).toContain('referrerpolicy="no-referrer"');
      expect(img).toContain('alt="Flood waters rise in the delta"');
      expect(img).toContain(path === '/' ? 'loading="lazy"' : 'loading="eager"');
      expect(headers.get('content-security-policy'), path).toContain("img-src 'self' https://img.beta.example;");
    }
    // A page without pictures allows this origin's images only.
    const { headers } = await page('/stories/999999');
    expect(headers.get('content-security-policy')).toContain("img-src 'self';");
  });

  it('draws a picture of unknown size in a fixed box, and never one that is not http(s)', async () => {
    const id = await addEntry('alpha', 'u1', T, 'Harvest begins early');
    const r = await store.upsertEntry('beta', entryInput({ key: 'u2', publishedAt: T + 60_000, title: 'Early harvest', image: { url: 'http://img.beta.example:8080/b.png', width: null, height: null } }), T);
    if (r.kind !== 'inserted') throw new Error('insert failed');
    await store.assignStory(r.id, id);
    await store.refreshStory(id, T);
    const hostile = await store.upsertEntry('gamma', entryInput({ key: 'u3', publishedAt: T + 120_000, title: 'Hostile picture', image: { url: 'javascript:alert(1)', width: 10, height: 10 } }), T);
    if (hostile.kind !== 'inserted') throw new Error('insert failed');
    const other = await store.createStory(hostile.id);
    await store.assignStory(hostile.id, other);
    await store.refreshStory(other, T);
    const { headers, html } = await page('/');
    const imgs = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(imgs).toHaveLength(1);
    expect(imgs[0]).toContain('class="thumb unsized"');
    expect(imgs[0]).toMatch(/width="\d+" height="\d+"/);
    expect(html).not.toContain('javascript:');
    expect(headers.get('content-security-policy')).toContain("img-src 'self' http://img.beta.example:8080;");
  });

  it('never widens img-src past one host: a picture whose host is a CSP wildcard or holds a directive separator is not shown', async () => {
    for (const [i, url] of ['http://*/w.jpg', 'https://*.example/w.jpg', 'http://a;script-src/w.jpg', 'http://a,b/w.jpg'].entries()) {
      const r = await store.upsertEntry('beta', entryInput({ key: `w${i}`, publishedAt: T + i * 60_000, title: `Wild picture ${i}`, image: { url, width: 10, height: 10 } }), T);
      if (r.kind !== 'inserted') throw new Error('insert failed');
      const story = await store.createStory(r.id);
      await store.assignStory(r.id, story);
      await store.refreshStory(story, T);
    }
    const { headers, html } = await page('/');
    expect(html).toContain('Wild picture 3');
    expect(html).not.toMatch(/<img /);
    expect(headers.get('content-security-policy')).toContain("img-src 'self'; form-action 'self';");
  });

  it('sends pages gzip or br compressed when the reader accepts it, the same HTML as uncompressed', async () => {
    for (let i = 0; i < 5; i++) await addEntry('alpha', `c${i}`, T + i * 60_000, `Compressed headline number ${i}`);
    const plain = await app.request('/sources');
    const html = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toContain('Accept-Encoding');
    for (const [accept, encoding, unpack] of [['gzip, deflate', 'gzip', gunzipSync], ['br;q=1, gzip;q=0.5', 'br', brotliDecompressSync]] as const) {
      for (const path of ['/', '/sources']) {
        const res = await app.request(path, { headers: { 'Accept-Encoding': accept } });
        expect(res.headers.get('content-encoding'), path).toBe(encoding);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
        const body = unpack(Buffer.from(await res.arrayBuffer())).toString('utf8');
        if (path === '/sources') expect(body).toBe(html);
        else expect(body).toContain('Compressed headline number 4');
      }
    }
  });

  it('narrows the list to stories matching the search, with names folded as in the API', async () => {
    await addEntry('alpha', 'z', T, 'Zelenskyy meets allies');
    await addEntry('beta', 'w', T + 1000, 'Weather turns cold');
    expect(headlines((await page('/?q=weather')).html)).toEqual(['Weather turns cold']);
    expect(headlines((await page('/?q=Zelensky')).html)).toEqual(['Zelenskyy meets allies']);
    const none = await page('/?q=%22NEAR*%20OR');
    expect(none.status).toBe(200);
    expect(headlines(none.html)).toEqual([]);
    expect(none.html).toContain('No story matches this search');
  });

  it.each([
    ['a bad cursor', '/?cursor=garbage', 'out of date or damaged'],
    ['a huge search', `/?q=${'a'.repeat(10_000)}`, 'at most 500 characters'],
  ])('answers %s with a friendly 400 page', async (_, path, text) => {
    const { status, headers, html } = await page(path);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain(text);
  });
});

describe('GET /feeds/:slug', () => {
  it('shows only the stories of a curated feed, with its own subscribe links', async () => {
    await addEntry('alpha', 'e', T, 'Paris summit opens');
    await addEntry('beta', 'a', T + 1000, 'Tokyo markets rally');
    const { status, html } = await page('/feeds/europe');
    expect(status).toBe(200);
    expect(headlines(html)).toEqual(['Paris summit opens']);
    expect(html).toContain('<h1>Europe desk</h1>');
    expect(html).toContain('Stories from European outlets.');
    expect(html).toContain('<a href="/feeds/europe" aria-current="page">Europe desk</a>');
    expect(html).toContain('href="http://localhost/feeds/europe.atom"');
    expect(html).toContain('<a href="/feeds/europe.rss"');
  });

  it('applies the feed include terms', async () => {
    await addEntry('alpha', 'k', T, 'Drones over Kyiv overnight');
    await addEntry('beta', 'o', T + 1000, 'Ocean survey published');
    expect(headlines((await page('/feeds/kyiv')).html)).toEqual(['Drones over Kyiv overnight']);
  });

  it('answers 404 with a page for an unknown feed and leaves feed documents to their route', async () => {
    const { status, headers, html } = await page('/feeds/nope');
    expect(status).toBe(404);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('There is no feed called “nope”');
    const rss = await app.request('/feeds/europe.rss');
    expect(rss.headers.get('content-type')).not.toMatch(/^text\/html/);
    const all = await app.request('/feeds/all?q=x');
    expect([all.status, all.headers.get('location')]).toEqual([301, '/?q=x']);
  });
});

describe('Latest and Top', () => {
  /** A story first published at `at` by each of `outlets` (the first one starts it). */
  async function story(title: string, outlets: string[], at: number): Promise<number> {
    const id = await addEntry(outlets[0]!, `${title}-0`, at, title);
    for (const [i, sourceId] of outlets.slice(1).entries()) await addEntry(sourceId, `${title}-${i + 1}`, at + 60_000, `${title} (${sourceId})`, id);
    return id;
  }
  const switchLinks = (html: string) => /<nav class="order" aria-label="Order of the stories">(.*?)<\/nav>/.exec(html)?.[1];
  const nextLink = (html: string) => /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

  it('switches between the latest and the top stories with links, marking the order shown', async () => {
    await story('Three outlets report the summit', ['alpha', 'beta', 'gamma'], T - 10 * 3600_000);
    await story('One outlet reports the storm', ['gamma'], T);
    const latest = await page('/');
    expect(headlines(latest.html)).toEqual(['One outlet reports the storm', 'Three outlets report the summit']);
    expect(switchLinks(latest.html)).toBe('<a href="/" aria-current="page">Latest</a><a href="/?sort=top">Top</a>');
    const top = await page('/?sort=top');
    expect(top.status).toBe(200);
    expect(headlines(top.html)).toEqual(['Three outlets report the summit', 'One outlet reports the storm']);
    expect(top.html).toContain('<h1>Top stories</h1>');
    expect(switchLinks(top.html)).toBe('<a href="/">Latest</a><a href="/?sort=top" aria-current="page">Top</a>');
    // A search keeps the order: the form sends it along, and the switch keeps the search.
    const searched = await page('/?sort=top&q=summit');
    expect(searched.html).toContain('<input type="hidden" name="sort" value="top"/>');
    expect(switchLinks(searched.html)).toBe('<a href="/?q=summit">Latest</a><a href="/?q=summit&amp;sort=top" aria-current="page">Top</a>');
    expect(searched.html).toContain('<a href="/?sort=top">Clear the search</a>');
  });

  it('pages the top stories 30 at a time in the top order, neither skipping nor repeating', async () => {
    const outlets = ['alpha', 'beta', 'gamma'];
    for (let i = 0; i < 40; i++) await story(`Story number ${i}`, outlets.slice(0, 1 + (i % 3)), T - (i % 9) * 3600_000);
    const expected = (await store.topStories({ limit: 100 })).map((s) => s.title);
    expect(expected).not.toEqual((await store.listStories({ limit: 100 })).map((s) => s.title));
    const seen: string[] = [];
    let path: string | null = '/?sort=top';
    while (path) {
      const { html } = await page(path);
      seen.push(...headlines(html));
      path = nextLink(html);
      if (path) {
        expect(path).toMatch(/^\/\?sort=top&cursor=/);
        expect(html).toContain('More stories →');
      }
    }
    expect(seen).toEqual(expected);
    const second = await page(nextLink((await page('/?sort=top')).html)!);
    expect(second.html).toContain('<a href="/?sort=top">← Top stories</a>');
  });

  it('shows a feed whose sort is top in the top order at its plain address, the latest on request', async () => {
    await story('Summit in two outlets', ['alpha', 'beta'], T - 8 * 3600_000);
    await story('Storm in three outlets', ['alpha', 'beta', 'gamma'], T - 12 * 3600_000);
    await story('Vote in two outlets', ['beta', 'gamma'], T);
    await story('Alone in one outlet', ['gamma'], T + 1000);
    const wide = await page('/feeds/wide');
    expect(headlines(wide.html)).toEqual(['Vote in two outlets', 'Storm in three outlets', 'Summit in two outlets']);
    expect(switchLinks(wide.html)).toBe('<a href="/feeds/wide?sort=newest">Latest</a><a href="/feeds/wide" aria-current="page">Top</a>');
    const latest = await page('/feeds/wide?sort=newest');
    expect(headlines(latest.html)).toEqual(['Vote in two outlets', 'Summit in two outlets', 'Storm in three outlets']);
    expect(switchLinks(latest.html)).toBe('<a href="/feeds/wide?sort=newest" aria-current="page">Latest</a><a href="/feeds/wide">Top</a>');
  });

  it('answers a damaged link, one of the other order or an unknown order with a friendly 400 page', async () => {
    for (let i = 0; i < 35; i++) await story(`Story number ${i}`, ['alpha'], T - i * 60_000);
    const topNext = nextLink((await page('/?sort=top')).html)!;
    const latestNext = nextLink((await page('/')).html)!;
    for (const path of [topNext.replace('sort=top&', ''), latestNext.replace('?', '?sort=top&'), '/?sort=top&cursor=garbage']) {
      const { status, html } = await page(path);
      expect(status, path).toBe(400);
      expect(html).toContain('The link to more stories is out of date or damaged. Start again from the first page.');
    }
    const unknown = await page('/?sort=relevance');
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('Stories can be listed latest first or top first only.');
  });
});

describe('GET /stories/:id', () => {
  it('shows one story with every outlet, and 404 for unknown ones', async () => {
    const id = await addEntry('alpha', 's1', T, 'Bridge reopens');
    await addEntry('gamma', 's2', T + 5000, 'City bridge open again', id);
    const { status, html } = await page(`/stories/${id}`);
    expect(status).toBe(200);
    expect(html).toContain('<h1 id="story-title"><a href="https://news.example/s1">Bridge reopens</a></h1>');
    expect(html).toContain('<a href="https://news.example/s2">City bridge open again</a>');
    expect(html).toContain('Alpha Times');
    expect(html).toContain('gamma');
    expect((await page('/stories/99999')).status).toBe(404);
    expect((await page('/stories/abc')).status).toBe(404);
  });
});

/** The story page's timeline: the SVG, its marks, rows and tick labels, and the text equivalent's lines. */
function timeline(html: string) {
  const svg = /<svg role="img"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  const marks = [...svg.matchAll(/<circle class="([^"]+)" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ first: m[1].includes('tl-first'), cx: Number(m[2]), cy: Number(m[3]) }));
  const rows = [...svg.matchAll(/<text class="tl-outlet"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  const ticks = [...svg.matchAll(/<g class="tl-tick">[\s\S]*?<text[^>]*>([^<]*)/g)].map((m) => m[1]);
  const caption = /<figcaption[^>]*>([\s\S]*?)<\/figcaption>/.exec(html)?.[1] ?? '';
  const text = [...caption.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);
  return { svg, marks, rows, ticks, text };
}

describe('the story page timeline', () => {
  it('draws one row per outlet and one mark per report, the first highlighted, with a text equivalent in time order', async () => {
    // Added out of time order: the timeline orders by publication time.
    const id = await addEntry('beta', 't2', T + 30 * 60_000, 'Port strike spreads');
    await addEntry('alpha', 't1', T, 'Dock workers walk out', id);
    await addEntry('gamma', 't3', T + 45 * 60_000, 'Strike at the port', id);
    await addEntry('alpha', 't4', T + 2 * 3600_000, 'Port strike: talks tonight', id);
    const { html } = await page(`/stories/${id}`);
    const t = timeline(html);
    expect(t.svg).toMatch(/^<svg role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 400 \d+"/);
    expect(t.svg).toContain('<title id="timeline-title">When each outlet reported this story</title>');
    expect(t.svg).toContain('<desc id="timeline-desc">3 outlets reported this story over 2 h: first Alpha Times at 12:00 UTC, last Alpha Times at 14:00 UTC.</desc>');
    expect(t.rows).toEqual(['Alpha Times', 'Beta Post', 'gamma']);
    expect(t.marks).toHaveLength(4);
    // One highlighted mark, the leftmost, on the first outlet's row, labelled "first".
    expect(t.marks.filter((m) => m.first)).toHaveLength(1);
    const first = t.marks.find((m) => m.first)!;
    expect(first.cx).toBe(Math.min(...t.marks.map((m) => m.cx)));
    expect(first.cy).toBe(Math.min(...t.marks.map((m) => m.cy)));
    expect(t.svg).toMatch(/<text class="tl-first-label"[^>]*>first<\/text>/);
    // Marks sit at their times: the 12:30 report halfway between the 12:00 and the 13:00 ones' positions on a 2 h axis.
    const xs = t.marks.map((m) => m.cx);
    expect(xs[1] - xs[0]).toBeCloseTo((xs[3] - xs[0]) / 4, 5);
    expect(t.ticks).toEqual(['12:00', '12:30', '13:00', '13:30', '14:00']);
    expect(t.text).toEqual(['Alpha Times, first, 12:00 UTC', 'Beta Post, 12:30 UTC (+30 min)', 'gamma, 12:45 UTC (+45 min)', 'Alpha Times, 14:00 UTC (+2 h)']);
  });

  it('draws a single report on an hour-long axis', async () => {
    const id = await addEntry('alpha', 'solo', T + 10 * 60_000, 'Lone report');
    const t = timeline((await page(`/stories/${id}`)).html);
    expect(t.marks).toEqual([{ first: true, cx: 150, cy: expect.any(Number) }]);
    expect(t.rows).toEqual(['Alpha Times']);
    expect(t.ticks).toEqual(['12:15', '12:30', '12:45', '13:00']);
    expect(t.text).toEqual(['Alpha Times, first, 12:10 UTC']);
  });

  it('escapes hostile outlet names from feeds', async () => {
    await store.recordSuccess('gamma', { at: T, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: NOW, permanentRedirect: null, feedTitle: '<img src=x onerror=alert(1)>"&' });
    const id = await addEntry('alpha', 'h1', T, 'Quiet day');
    await addEntry('gamma', 'h2', T + 60_000, 'Quiet day indeed', id);
    const { html } = await page(`/stories/${id}`);
    expect(html).not.toContain('<img');
    const t = timeline(html);
    expect(t.rows).toEqual(['Alpha Times', '&lt;img src=x oner…']);
    expect(t.text[1]).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&amp;, 12:01 UTC (+1 min)');
    expect(t.svg).toContain('<title>&lt;img src=x onerror=alert(1)&gt;&quot;&amp;, 12:01 UTC</title>');
  });

  it('draws at most 30 outlets and says how many more there are', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `o${String(i).padStart(2, '0')}`, url: `https://o${i}.example/feed` }));
    await store.syncSources(parseConfig(JSON.stringify({ sources: [...config.sources.map((s) => ({ id: s.id, url: s.url })), ...many] }), 'feeds.json').sources);
    const id = await addEntry('o00', 'm0', T, 'Everyone reports this');
    for (let i = 1; i < 40; i++) await addEntry(many[i].id, `m${i}`, T + i * 60_000, 'Everyone reports this', id);
    const t = timeline((await page(`/stories/${id}`)).html);
    expect(t.rows).toEqual(many.slice(0, 30).map((s) => s.id));
    expect(t.marks).toHaveLength(30);
    expect(t.svg).toMatch(/<text class="tl-more"[^>]*>and 10 more outlets \(listed below\)<\/text>/);
    expect(t.text).toHaveLength(31);
    expect(t.text[30]).toBe('and 10 more outlets, listed under Coverage');
    expect(t.svg).toContain('40 outlets reported this story over 39 min');
  });
});

describe('GET /sources', () => {
  it("shows each source's health with the error of a failing one", async () => {
    await addEntry('alpha', 'a', T, 'Something');
    await store.recordFailure('beta', { at: T, kind: 'http-error', message: 'fetch: HTTP 503 <Service Unavailable>', httpStatus: 503, nextFetchAt: NOW + 600_000, permanentRedirect: null });
    const { status, headers, html } = await page('/sources');
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('fetch: HTTP 503 &lt;Service Unavailable&gt; (http-error, HTTP 503)');
    expect(html).toMatch(/Beta Post <span class="status status-error">Failing<\/span>/);
    expect(html).toContain('in 10 min');
    expect(html).toMatch(/<dt>Failures in a row<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/<dt>Entries stored<\/dt><dd>1<\/dd>/);
  });
});

describe('GET /sources: the fetch history strip', () => {
  const MIN = 60_000;
  const ok = (id: string, at: number, newEntries: number, over: object = {}) => store.recordSuccess(id, { at, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: NOW + MIN, permanentRedirect: null, newEntries, ...over });
  const fail = (id: string, at: number, httpStatus: number | null) => store.recordFailure(id, { at, kind: httpStatus ? 'http-error' : 'timeout', message: 'fetch failed', httpStatus, nextFetchAt: NOW + MIN, permanentRedirect: null });

  /** The strip of one source: its marks (kind, left edge, height) in order, its accessible name parts and its caption. */
  function strip(html: string, id: string) {
    const article = new RegExp(`<article aria-labelledby="source-${id}">([\\s\\S]*?)</article>`).exec(html)![1]!;
    const svg = /<svg[^>]*>[\s\S]*?<\/svg>/.exec(article)?.[0];
    if (!svg) return null;
    // Each kind of mark is one path, a subpath per poll: "M<x> <y>h<w>v<h>...".
    const subpaths = (kind: string) => [...(new RegExp(`<path class="fh-${kind}" d="([^"]*)"`).exec(svg)?.[1] ?? '').matchAll(/M([\d.]+) ([\d.]+)(?:h[\d.]+v([\d.]+))?/g)];
    const marks = ['new', 'none', 'fail-bg']
      .flatMap((kind) => subpaths(kind).map((m) => ({ kind: kind === 'fail-bg' ? 'fail' : kind, x: Number(m[1]), height: Number(m[3]) })))
      .sort((a, b) => a.x - b.x);
    return {
      svg,
      marks,
      kinds: marks.map((m) => m.kind),
      crosses: subpaths('cross').length,
      labelledBy: /<svg[^>]*aria-labelledby="([^"]*)"/.exec(svg)![1],
      role: /<svg[^>]*role="([^"]*)"/.exec(svg)![1],
      desc: /<desc id="history-[^"]*-desc">([^<]*)<\/desc>/.exec(svg)![1],
      caption: /<figcaption[^>]*>([\s\S]*?)<\/figcaption>/.exec(article)![1]!.replace(/<[^>]+>/g, ''),
    };
  }

  it('draws one mark per poll, oldest first, with a summary; a failing source\'s marks are crosses', async () => {
    await ok('alpha', NOW - 150 * MIN, 3);
    await ok('alpha', NOW - 120 * MIN, 0, { httpStatus: 304, notModified: true });
    await ok('alpha', NOW - 90 * MIN, 34, { updatedEntries: 2 });
    await ok('alpha', NOW - 60 * MIN, 0);
    await ok('beta', NOW - 120 * MIN, 2);
    await fail('beta', NOW - 90 * MIN, 503);
    await fail('beta', NOW - 60 * MIN, null);
    const { html } = await page('/sources');

    const alpha = strip(html, 'alpha')!;
    expect(alpha.kinds).toEqual(['new', 'none', 'new', 'none']);
    expect(alpha.role).toBe('img');
    expect(alpha.labelledBy).toBe('history-alpha-title history-alpha-desc');
    expect(alpha.desc).toBe('Last 4 polls, since 12:30 UTC: 4 succeeded (1 unchanged), 0 failed; 37 new entries; last new entry 1 hour ago.');
    expect(alpha.caption).toBe(alpha.desc);
    // Newest at the right edge of the 48 slots of 8 units; bars grow with the new entries (34 is past full height).
    expect(alpha.marks.map((m) => m.x)).toEqual([44, 45, 46, 47].map((slot) => slot * 8 + 1));
    expect(alpha.marks[2]!.height).toBe(28);
    expect(alpha.marks[0]!.height).toBeGreaterThan(6);
    expect(alpha.marks[0]!.height).toBeLessThan(28);
    expect(alpha.marks[1]!.height).toBe(3);

    const beta = strip(html, 'beta')!;
    expect(beta.kinds).toEqual(['new', 'fail', 'fail']);
    expect(beta.desc).toBe('Last 3 polls, since 13:00 UTC: 1 succeeded, 2 failed (timeout, http-error 503); 2 new entries; last new entry 2 hours ago.');
    // A failure differs in shape (a cross on a tinted column), not only in colour.
    expect(beta.crosses).toBe(2);
    expect(alpha.crosses).toBe(0);

    // A source never polled has no strip.
    expect(strip(html, 'gamma')).toBeNull();
  });

  it('points out a long run of polls without a new entry', async () => {
    await ok('alpha', NOW - 20 * MIN, 5);
    for (let i = 13; i >= 1; i--) await ok('alpha', NOW - i * MIN, 0);
    await ok('beta', NOW - 2 * MIN, 0);
    await ok('beta', NOW - MIN, 0);
    const { html } = await page('/sources');
    const alpha = strip(html, 'alpha')!;
    expect(alpha.kinds).toEqual(['new', ...Array(13).fill('none')]);
    expect(alpha.desc).toBe('Last 14 polls, since 14:40 UTC: 14 succeeded, 0 failed; 5 new entries; last new entry 20 min ago. No new entry in the last 13 polls.');
    expect(alpha.caption).toBe(alpha.desc);
    expect(alpha.svg).toMatch(/<line class="fh-quiet" x1="281" x2="383"/);
    // A short quiet run is only counted.
    const beta = strip(html, 'beta')!;
    expect(beta.desc).toBe('Last 2 polls, since 14:58 UTC: 2 succeeded, 0 failed; 0 new entries; no new entry.');
    expect(beta.svg).not.toContain('fh-quiet');
  });
});

describe('GET /assets/site.css', () => {
  it('serves the stylesheet the pages link to', async () => {
    const { html } = await page('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1];
    const res = await app.request(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toContain(':focus-visible');
  });
});
});
