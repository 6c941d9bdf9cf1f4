import Parser from 'rss-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEDIA_TYPES, renderAtom, renderFeed, renderJsonFeed, renderRss } from '../../src/publish/render.ts';
import type { PublishedStory } from '../../src/publish/types.ts';
import { entry, feedMeta, GOLDEN_STORIES, HOSTILE_STORY, SINGLE_STORY, WIDE_STORY } from './fixtures.ts';
import { jsonFeedErrors } from './json-feed-validator.ts';

const parser = new Parser({ customFields: { item: ['id'] } });
const meta = feedMeta();
const TITLES = ['Zelenskyy meets EU leaders in Kyiv', 'Central bank holds rates', 'Q&A: שלום 😀 "quoted" > less'];
const LINKS = ['https://bbc.example/news/world-101', 'https://ft.example/content/102', 'https://hostile.example/politics/budget%20vote?x=1&y=2'];
const IDS = ['urn:storywire:story:101', 'urn:storywire:story:102', 'urn:storywire:story:103'];
const ILLEGAL_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ALL_FORMATS = [renderRss, renderAtom, renderJsonFeed];

afterEach(() => vi.useRealTimers());

describe('parsing every format back', () => {
  it('RSS gives every story with its title, link, guid and categories', async () => {
    const feed = await parser.parseString(renderRss(meta, GOLDEN_STORIES));
    expect(feed.title).toBe('Storywire: all stories');
    expect(feed.link).toBe('https://news.example/');
    expect(feed.items.map((i) => i.title)).toEqual(TITLES);
    expect(feed.items.map((i) => i.link)).toEqual(LINKS);
    expect(feed.items.map((i) => i.guid)).toEqual(IDS);
    expect(feed.items[0].categories).toEqual(['world', 'europe']);
    expect(feed.items[0].isoDate).toBe('2026-05-20T09:00:00.000Z');
  });

  it('Atom gives every entry with its title, link and id', async () => {
    const feed = await parser.parseString(renderAtom(meta, GOLDEN_STORIES));
    expect(feed.items.map((i) => i.title)).toEqual(TITLES);
    expect(feed.items.map((i) => i.link)).toEqual(LINKS);
    expect(feed.items.map((i) => (i as { id?: string }).id)).toEqual(IDS);
  });

  it('JSON Feed is valid 1.1 with string ids, titles, links and RFC 3339 dates', () => {
    const doc = JSON.parse(renderJsonFeed(meta, GOLDEN_STORIES));
    expect(jsonFeedErrors(doc)).toEqual([]);
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1');
    expect(doc.items.map((i: { id: unknown }) => i.id)).toEqual(IDS);
    expect(doc.items.map((i: { title: string }) => i.title)).toEqual(TITLES);
    expect(doc.items.map((i: { url: string }) => i.url)).toEqual(LINKS);
    expect(doc.items[0]).toMatchObject({ date_published: '2026-05-20T09:00:00Z', date_modified: '2026-05-20T11:30:00Z' });
    expect(doc).toMatchObject({ language: 'en', home_page_url: 'https://news.example/', feed_url: 'https://news.example/feeds/all.json' });
  });
});

describe('feed metadata', () => {
  it('links self, the web page and the hub in every format', () => {
    const rss = renderRss(meta, GOLDEN_STORIES);
    expect(rss).toContain('<atom:link href="https://news.example/feeds/all.rss" rel="self" type="application/rss+xml"/>');
    expect(rss).toContain('<atom:link href="https://hub.example/" rel="hub"/>');
    const atom = renderAtom(meta, GOLDEN_STORIES);
    expect(atom).toContain('<link rel="self" type="application/atom+xml" href="https://news.example/feeds/all.atom"/>');
    expect(atom).toContain('<link rel="alternate" type="text/html" href="https://news.example/"/>');
    expect(atom).toContain('<link rel="hub" href="https://hub.example/"/>');
    expect(JSON.parse(renderJsonFeed(meta, GOLDEN_STORIES)).hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example/' }]);
  });

  it('leaves the hub out when none is configured', () => {
    const noHub = feedMeta({ websubHub: null });
    expect(renderRss(noHub, GOLDEN_STORIES)).not.toContain('rel="hub"');
    expect(renderAtom(noHub, GOLDEN_STORIES)).not.toContain('rel="hub"');
    expect(JSON.parse(renderJsonFeed(noHub, GOLDEN_STORIES))).not.toHaveProperty('hubs');
  });

  it('uses the feed page as alternate for curated feeds', () => {
    const curated = feedMeta({ slug: 'ukraine', baseUrl: 'http://127.0.0.1:3000/' });
    const rss = renderRss(curated, [SINGLE_STORY]);
    expect(rss).toContain('<link>http://127.0.0.1:3000/feeds/ukraine</link>');
    expect(rss).toContain('href="http://127.0.0.1:3000/feeds/ukraine.rss" rel="self"');
    expect(JSON.parse(renderJsonFeed(curated, [SINGLE_STORY]))).toMatchObject({
      home_page_url: 'http://127.0.0.1:3000/feeds/ukraine',
      feed_url: 'http://127.0.0.1:3000/feeds/ukraine.json',
    });
  });

  it('dates the feed by its newest change, whatever the item order, never by the clock', () => {
    const reversed = [...GOLDEN_STORIES].reverse();
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2030, 0, 1));
    const first = renderAtom(meta, reversed);
    vi.setSystemTime(Date.UTC(2031, 0, 1));
    expect(renderAtom(meta, reversed)).toBe(first);
    expect(first).toMatch(/^  <updated>2026-05-20T11:30:00Z<\/updated>$/m);
    expect(renderRss(meta, reversed)).toContain('<lastBuildDate>Wed, 20 May 2026 11:30:00 GMT</lastBuildDate>');
  });

  it('keeps the caller order of items', async () => {
    const feed = await parser.parseString(renderRss(meta, [SINGLE_STORY, WIDE_STORY]));
    expect(feed.items.map((i) => i.guid)).toEqual(['urn:storywire:story:102', 'urn:storywire:story:101']);
  });

  it('renders an empty feed validly with a fixed date', async () => {
    expect(renderRss(meta, [])).not.toContain('lastBuildDate');
    expect(renderAtom(meta, [])).toContain('<updated>2000-01-01T00:00:00Z</updated>');
    expect((await parser.parseString(renderAtom(meta, []))).items).toEqual([]);
    expect(jsonFeedErrors(JSON.parse(renderJsonFeed(meta, [])))).toEqual([]);
  });

  it('serves each format with its media type', () => {
    expect(MEDIA_TYPES).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
    expect(renderFeed('atom', meta, [SINGLE_STORY])).toBe(renderAtom(meta, [SINGLE_STORY]));
  });
});

describe('items', () => {
  it('list every other outlet with a link to its article under "Also reported by"', () => {
    const html = JSON.parse(renderJsonFeed(meta, [WIDE_STORY])).items[0].content_html as string;
    expect(html).toContain('<p>Also reported by:</p>');
    expect(html).toContain('<li>Reuters: <a href="https://reuters.example/news/2">EU leaders visit Kyiv for talks with Zelensky</a></li>');
    // Le Monde has no site URL: its relative link resolves against its feed URL.
    expect(html).toContain('<li>Le Monde: <a href="https://lemonde.example/international/article/3">');
  });

  it('have no "Also reported by" when one outlet covered the story', () => {
    expect(renderRss(meta, [SINGLE_STORY])).not.toContain('Also reported by');
  });

  it('attribute the representative outlet in every format', () => {
    expect(renderRss(meta, [WIDE_STORY])).toContain('<source url="https://bbc.example/feed.xml">BBC News - World</source>');
    expect(renderAtom(meta, [WIDE_STORY])).toMatch(/<author>\s*<name>BBC News - World<\/name>\s*<uri>https:\/\/bbc.example\/<\/uri>/);
    expect(JSON.parse(renderJsonFeed(meta, [WIDE_STORY])).items[0].authors).toEqual([{ name: 'BBC News - World', url: 'https://bbc.example/' }]);
  });

  it('write a byline as dc:creator, never as an RSS <author> without e-mail', () => {
    const rss = renderRss(meta, [SINGLE_STORY]);
    expect(rss).toContain('<dc:creator>Jane Doe</dc:creator>');
    expect(rss).not.toContain('<author>');
  });

  it('type Atom titles as text so markup characters stay characters', () => {
    expect(renderAtom(meta, [HOSTILE_STORY])).toContain('<title type="text">Q&amp;A: שלום 😀 &quot;quoted&quot; &gt; less</title>');
  });

  it.each([
    ['a javascript: link', 'javascript:alert(1)'],
    ['no link', null],
    ['an unparseable link', 'http://'],
  ])('with %s point at the story page', async (_name, url) => {
    const story: PublishedStory = { ...SINGLE_STORY, url: null, representative: { ...SINGLE_STORY.representative, url } };
    const feed = await parser.parseString(renderRss(meta, [story]));
    expect(feed.items[0].link).toBe('https://news.example/stories/102');
  });

  it('get distinct Atom <updated> values when stories changed in the same second', () => {
    const same = [101, 102, 103].map((id) => ({ ...SINGLE_STORY, id, updatedAt: Date.UTC(2026, 4, 20, 9, 0, 0, 250) }));
    const updated = [...renderAtom(meta, same).matchAll(/^    <updated>(.*)<\/updated>$/gm)].map((m) => m[1]);
    expect(updated).toEqual(['2026-05-20T09:00:00Z', '2026-05-20T09:00:00.001Z', '2026-05-20T09:00:00.002Z']);
  });

  it('never report a change before the first sighting', () => {
    const story: PublishedStory = { ...SINGLE_STORY, updatedAt: SINGLE_STORY.publishedAt - 60_000 };
    expect(JSON.parse(renderJsonFeed(meta, [story])).items[0].date_modified).toBe('2026-05-20T08:00:00Z');
  });

  it('survive invalid dates without "Invalid Date" or NaN', async () => {
    const story: PublishedStory = { ...SINGLE_STORY, publishedAt: NaN, updatedAt: Infinity, representative: { ...SINGLE_STORY.representative, publishedAt: -1 } };
    for (const render of ALL_FORMATS) expect(render(meta, [story])).not.toMatch(/Invalid|NaN|Infinity/);
    expect((await parser.parseString(renderRss(meta, [story]))).items[0].isoDate).toBe('2000-01-01T00:00:00.000Z');
    expect(jsonFeedErrors(JSON.parse(renderJsonFeed(meta, [story])))).toEqual([]);
  });
});

describe('pictures', () => {
  const media = new Parser<Record<string, unknown>, { media?: { $: Record<string, string> }; thumbnail?: { $: Record<string, string> } }>({
    customFields: { item: [['media:content', 'media'], ['media:thumbnail', 'thumbnail']] },
  });
  const withImage = (image: PublishedStory['image']): PublishedStory => ({ ...SINGLE_STORY, image });
  const KYIV = 'https://bbc.example/images/kyiv.jpg?w=976&h=549';

  it('are written as Media RSS in RSS and Atom, image in JSON Feed and an <img> leading the content', async () => {
    const story = withImage({ url: KYIV, width: 976, height: 549 });
    for (const render of [renderRss, renderAtom]) {
      const item = (await media.parseString(render(meta, [story]))).items[0];
      expect(item.media?.$).toEqual({ url: KYIV, medium: 'image', width: '976', height: '549' });
      expect(item.thumbnail?.$).toEqual({ url: KYIV, width: '976', height: '549' });
    }
    expect(renderRss(meta, [story])).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
    expect(renderAtom(meta, [story])).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
    const doc = JSON.parse(renderJsonFeed(meta, [story]));
    expect(jsonFeedErrors(doc)).toEqual([]);
    expect(doc.items[0].image).toBe(KYIV);
    expect(doc.items[0].content_html).toMatch(
      /^<p><img alt="Central bank holds rates" width="976" height="549" src="https:\/\/bbc\.example\/images\/kyiv\.jpg\?w=976&amp;h=549" \/><\/p>\n<p>The bank kept/,
    );
  });

  it('escape the & of a picture URL in XML attributes and in the escaped HTML content', () => {
    const story = withImage({ url: KYIV, width: null, height: null });
    for (const render of [renderRss, renderAtom]) {
      const out = render(meta, [story]);
      expect(out).toContain('<media:content url="https://bbc.example/images/kyiv.jpg?w=976&amp;h=549" medium="image"/>');
      // The content is HTML escaped once more as XML text: &amp; in the HTML is &amp;amp; in the document.
      expect(out).toContain('src=&quot;https://bbc.example/images/kyiv.jpg?w=976&amp;amp;h=549&quot;');
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#)/);
    }
  });

  it('leave the size out when it is not known (or not a positive integer)', async () => {
    for (const [width, height] of [[null, null], [0, -5], [1.5, NaN]] as const) {
      const story = withImage({ url: 'https://img.example/a.jpg', width, height });
      for (const render of [renderRss, renderAtom]) {
        const item = (await media.parseString(render(meta, [story]))).items[0];
        expect(item.media?.$).toEqual({ url: 'https://img.example/a.jpg', medium: 'image' });
        expect(item.thumbnail?.$).toEqual({ url: 'https://img.example/a.jpg' });
      }
      expect(JSON.parse(renderJsonFeed(meta, [story])).items[0].content_html).toMatch(/^<p><img alt="Central bank holds rates" src="https:\/\/img\.example\/a\.jpg" \/><\/p>/);
    }
  });

  it('are absent when the story has none', () => {
    for (const render of [renderRss, renderAtom]) expect(render(meta, [SINGLE_STORY])).not.toMatch(/<media:|&lt;img/);
    const item = JSON.parse(renderJsonFeed(meta, [SINGLE_STORY])).items[0];
    expect(item).not.toHaveProperty('image');
    expect(item.content_html).not.toContain('<img');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:image/png;base64,iVBORw0KGgo='],
    ['relative', '/images/a.jpg'],
    ['ftp:', 'ftp://img.example/a.jpg'],
  ])('are never written from a %s URL', (_name, url) => {
    const story = withImage({ url, width: 10, height: 10 });
    for (const render of ALL_FORMATS) expect(render(meta, [story])).not.toMatch(/<media:|&lt;img|<img|"image"|javascript:|data:|ftp:|a\.jpg/);
  });

  it('go through meta.imageUrl wherever a picture URL is written, and are dropped if it gives no http(s) URL', async () => {
    const story = withImage({ url: KYIV, width: 976, height: 549 });
    const proxied = feedMeta({ imageUrl: (url) => `https://news.example/media?u=${encodeURIComponent(url)}` });
    const PROXY = `https://news.example/media?u=${encodeURIComponent(KYIV)}`;
    for (const render of [renderRss, renderAtom]) {
      const out = render(proxied, [story]);
      const item = (await media.parseString(out)).items[0];
      expect(item.media?.$.url).toBe(PROXY);
      expect(item.thumbnail?.$.url).toBe(PROXY);
      expect(out).not.toContain('bbc.example/images');
    }
    const json = JSON.parse(renderJsonFeed(proxied, [story])).items[0];
    expect(json.image).toBe(PROXY);
    expect(json.content_html).toContain(`src="${PROXY.replace(/&/g, '&amp;')}"`);
    expect(json.content_html).not.toContain('bbc.example/images');
    const broken = feedMeta({ imageUrl: () => 'javascript:alert(1)' });
    for (const render of ALL_FORMATS) expect(render(broken, [story])).not.toMatch(/media:|img|"image"|javascript:/);
  });
});

describe('hostile input', () => {
  it('never reaches the output as markup, script or handler', () => {
    for (const render of ALL_FORMATS) {
      const out = render(meta, [HOSTILE_STORY]);
      expect(out).not.toMatch(/<\/?script|&lt;\/?script|javascript:|onerror|onload|<svg|&lt;svg|<img|&lt;img|alert\(/i);
      expect(out).not.toMatch(ILLEGAL_XML_CHAR);
    }
  });

  it('keeps the text around it: entities once, emoji and RTL intact, bidi embeddings removed', () => {
    const item = JSON.parse(renderJsonFeed(meta, [HOSTILE_STORY])).items[0];
    expect(item.summary).toBe('Tom & Jerry say hi to مرحبا بالعالم 😀 & more');
    expect(item.content_html).toContain('<p>Tom &amp; Jerry say hi to');
    expect(item.authors[0].name).toBe('Hostile Daily & Co');
    expect(item.tags).toEqual(['world', 'a&b']);
  });

  it('is well-formed for arbitrary text in every field', async () => {
    const random = seeded(42);
    const stories = Array.from({ length: 40 }, (_, i) => nastyStory(i + 1, random));
    const rss = await parser.parseString(renderRss(meta, stories));
    const atom = await parser.parseString(renderAtom(meta, stories));
    const json = JSON.parse(renderJsonFeed(meta, stories));
    expect(jsonFeedErrors(json)).toEqual([]);
    const titles = json.items.map((i: { title: string }) => i.title);
    expect(rss.items.map((i) => i.title ?? '')).toEqual(titles);
    expect(atom.items.map((i) => i.title ?? '')).toEqual(titles);
    for (const render of [renderRss, renderAtom]) expect(render(meta, stories)).not.toMatch(ILLEGAL_XML_CHAR);
  });

  it('gives a story with no summary and no other outlet some textual content in every format', () => {
    const bare: PublishedStory = { ...SINGLE_STORY, id: 103, summary: '', representative: entry({ entryId: 9, sourceId: 'cnn', sourceTitle: 'CNN', summary: '' }), others: [] };
    expect(renderAtom(meta, [bare])).toMatch(/<content type="html">[^<]*Reported by CNN\.[^<]*<\/content>/);
    expect(renderRss(meta, [bare])).toMatch(/<description>[^<]*Reported by CNN\.[^<]*<\/description>/);
    expect(JSON.parse(renderJsonFeed(meta, [bare])).items[0].content_html).toBe('<p>Reported by CNN.</p>');
  });
});

const NASTY = ['&', '<', '>', '"', "'", '&amp;', '&#0;', '&bogus;', ']]>', '<![CDATA[', '\u0000', '\u0008', '\u001F', '\uFFFE', '\uD800', '\uDFFF', '😀', 'ש', 'م', '\u202E', ' ', '\t', 'a', 'Z', '<b>', '</p>', '<!--', '-->', '<?xml', '\\'];

function nastyText(random: () => number): string {
  return Array.from({ length: 1 + Math.floor(random() * 12) }, () => NASTY[Math.floor(random() * NASTY.length)]).join('');
}

function nastyStory(id: number, random: () => number): PublishedStory {
  const e = (n: number) => entry({ entryId: n, sourceId: 'src', sourceTitle: nastyText(random), title: nastyText(random), summary: nastyText(random), url: nastyText(random), author: nastyText(random) });
  return { ...SINGLE_STORY, id, summary: nastyText(random), tags: [nastyText(random)], representative: e(id * 10), others: [e(id * 10 + 1)] };
}

// A small deterministic generator (mulberry32) so a failure reproduces.
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
