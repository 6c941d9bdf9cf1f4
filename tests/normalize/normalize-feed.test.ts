import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FEED_URL, NOW, normalized } from '../parse/feed-bytes.ts';

const HOUR = 3_600_000;
const rss = (items: string, channel = '') =>
  `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
   <channel><title>T</title>${channel}${items}</channel></rss>`;
const item = (body: string) => rss(`<item>${body}</item>`);
const atom = (entries: string, attrs = '') => `<feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title>A</title>${entries}</feed>`;
const first = async (body: string) => (await normalized(body)).entries[0];

describe('normalizeFeed: title', () => {
  it('decodes entities once and strips tags', async () => {
    expect((await first(item('<title>Tom &amp;amp; Jerry &amp;lt;3 &lt;i&gt;again&lt;/i&gt;</title>'))).title).toBe('Tom & Jerry <3 again');
  });

  it('collapses whitespace', async () => {
    expect((await first(item('<title>\n  Two\n\t lines  </title>'))).title).toBe('Two lines');
  });

  it('keeps an Atom type="text" title literally (no tag stripping)', async () => {
    expect((await first(atom('<entry><id>1</id><title>Why &lt;div&gt; soup &amp;amp; tags</title></entry>'))).title).toBe('Why <div> soup &amp; tags');
  });

  it('derives a missing title from the summary', async () => {
    const text = 'Storm warnings were issued for the whole coast on Tuesday as winds reached record speeds across the region';
    const entry = await first(item(`<description>${text}</description>`));
    expect(entry.title).toBe('Storm warnings were issued for the whole coast on Tuesday as winds reached…');
    expect(entry.summary).toBe(text);
  });
});

describe('normalizeFeed: hostile text', () => {
  it('stores no control or bidi override characters, and cuts a 200,000-character title with an ellipsis', async () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Feed\u0000 \u202Etitle',
      items: [{ id: '1', url: 'https://example.com/a', title: `Evil\u0000\u0007 \u202Egnp.exe\u2066 ${'x '.repeat(100_000)}`, content_text: 'Body\u0001 \u2067text', authors: [{ name: 'By\u001Bline' }], tags: ['t\u0085ag'] }],
    });
    const feed = await normalized(json);
    const entry = feed.entries[0];
    expect(entry.title.startsWith('Evil gnp.exe x x')).toBe(true);
    expect([...entry.title].length).toBeLessThanOrEqual(1001);
    expect(entry.title.endsWith('…')).toBe(true);
    for (const text of [entry.title, entry.summary, entry.content ?? '', entry.author ?? '', ...entry.categories, feed.info.title ?? '']) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
    }
    expect(entry.summary).toBe('Body text');
    expect(entry.author).toBe('Byline');
  });
});

describe('normalizeFeed: link', () => {
  it('resolves against item xml:base, then feed xml:base, then the feed URL', async () => {
    const feed = await normalized(
      atom(
        `<entry xml:base="/section/"><id>1</id><title>a</title><link href="story-1"/></entry>
         <entry><id>2</id><title>b</title><link href="story-2"/></entry>`,
        ' xml:base="https://base.example/news/"',
      ),
    );
    expect(feed.entries.map((e) => e.link)).toEqual(['https://base.example/section/story-1', 'https://base.example/news/story-2']);
    const plain = await first(item('<title>c</title><link>/c.html</link>'));
    expect(plain.link).toBe(new URL('/c.html', FEED_URL).href);
  });

  it('keeps only http(s) links', async () => {
    const entry = await first(item('<title>x</title><link>javascript:alert(1)</link>'));
    expect(entry.link).toBeNull();
    expect(entry.canonicalUrl).toBeNull();
  });

  it('takes the link as published (tracking params and all), canonical form separately', async () => {
    const entry = await first(item('<title>x</title><link>HTTPS://Example.com/a?utm_source=rss&amp;b=1#top</link>'));
    expect(entry.link).toBe('HTTPS://Example.com/a?utm_source=rss&b=1#top');
    expect(entry.canonicalUrl).toBe('https://example.com/a?b=1');
  });

  it('uses atom:link rel=alternate in an RSS item that lacks <link>', async () => {
    const entry = await first(item('<title>x</title><atom:link rel="alternate" href="https://example.com/alt"/>'));
    expect(entry.link).toBe('https://example.com/alt');
  });

  it('does not use a guid marked isPermaLink="false" as the link', async () => {
    const entry = await first(item('<title>x</title><guid isPermaLink="false">https://example.com/p/1</guid>'));
    expect(entry.link).toBeNull();
  });
});

describe('normalizeFeed: summary and content', () => {
  it('summary is plain text of the description, content the HTML as published', async () => {
    const entry = await first(
      item('<title>x</title><description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt; &amp;amp; co&lt;/p&gt;</description><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded>'),
    );
    expect(entry.summary).toBe('Hello world & co');
    expect(entry.content).toBe('<p>Full <b>text</b></p>');
  });

  it('falls back to the content for the summary, and content is null when absent', async () => {
    expect((await first(item('<title>x</title><content:encoded><![CDATA[<p>Only content</p>]]></content:encoded>'))).summary).toBe('Only content');
    expect((await first(item('<title>x</title><description>d</description>'))).content).toBeNull();
  });

  it('cuts a long summary near 500 characters on a word boundary', async () => {
    const summary = (await first(item(`<title>x</title><description>${'lorem ipsum '.repeat(100)}</description>`))).summary;
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(501);
    expect(summary.length).toBeGreaterThan(450);
    expect(summary.slice(0, -1).endsWith('lorem') || summary.slice(0, -1).endsWith('ipsum')).toBe(true);
  });
});

describe('normalizeFeed: author and categories', () => {
  it('reads Atom author names and RSS author', async () => {
    expect((await first(atom('<entry><id>1</id><title>x</title><author><name> Jo Doe </name><uri>https://jo.example</uri></author></entry>'))).author).toBe('Jo Doe');
    expect((await first(item('<title>x</title><author>desk@example.com (News Desk)</author>'))).author).toBe('desk@example.com (News Desk)');
    expect((await first(item('<title>x</title>'))).author).toBeNull();
  });

  it('deduplicates categories (case-insensitively, first spelling wins), with domains and Atom terms', async () => {
    const entry = await first(item('<title>x</title><category domain="d">World</category><category>world</category><category>Europe</category><dc:subject>Europe</dc:subject>'));
    expect(entry.categories).toEqual(['World', 'Europe']);
  });
});

describe('normalizeFeed: dates', () => {
  it('uses now and keeps the raw string when the date is unparseable', async () => {
    const entry = await first(item('<title>x</title><pubDate>sometime last week</pubDate>'));
    expect([entry.publishedAt, entry.originalDate]).toEqual([NOW, 'sometime last week']);
  });

  it('uses now with no originalDate when there is no date', async () => {
    const entry = await first(item('<title>x</title>'));
    expect([entry.publishedAt, entry.originalDate, entry.updatedAt]).toEqual([NOW, null, null]);
  });

  it('replaces a date more than an hour in the future, but keeps one within the hour', async () => {
    const far = new Date(NOW + 2 * HOUR).toUTCString();
    const near = new Date(NOW + HOUR / 2).toUTCString();
    expect(await first(item(`<title>x</title><pubDate>${far}</pubDate>`))).toMatchObject({ publishedAt: NOW, originalDate: far });
    expect(await first(item(`<title>x</title><pubDate>${near}</pubDate>`))).toMatchObject({ publishedAt: NOW + HOUR / 2, originalDate: null });
  });

  it('falls back to dc:date, and sets updatedAt only when it differs', async () => {
    const entry = await first(item('<title>x</title><pubDate></pubDate><dc:date>2024-05-20T12:00:00Z</dc:date>'));
    expect(entry.publishedAt).toBe(Date.UTC(2024, 4, 20, 12));
    const same = await first(atom('<entry><id>1</id><title>x</title><updated>2024-05-20T12:00:00Z</updated></entry>'));
    expect([same.publishedAt, same.updatedAt]).toEqual([Date.UTC(2024, 4, 20, 12), null]);
    const edited = await first(atom('<entry><id>1</id><title>x</title><published>2024-05-20T12:00:00Z</published><updated>2024-05-21T08:00:00Z</updated></entry>'));
    expect(edited.updatedAt).toBe(Date.UTC(2024, 4, 21, 8));
  });
});

describe('normalizeFeed: identity', () => {
  it('keys by guid, with URL guids independent of http/https', async () => {
    const a = await first(item('<title>x</title><guid>http://Example.com/p/1#frag</guid>'));
    const b = await first(item('<title>x</title><guid>https://example.com/p/1#frag</guid>'));
    expect(a.key).toBe('guid:example.com/p/1#frag');
    expect(b.key).toBe(a.key);
    expect((await first(item('<title>x</title><guid isPermaLink="false">abc-123</guid>'))).key).toBe('guid:abc-123');
  });

  it('keys by canonical link without scheme when there is no guid', async () => {
    const entry = await first(item('<title>x</title><link>http://example.com/a?utm_medium=rss</link>'));
    expect(entry.key).toBe('url:example.com/a');
  });

  it('keys by a hash of title and summary when there is neither', async () => {
    const entry = await first(item('<title>Only</title><description>text</description>'));
    const expected = createHash('sha1').update(JSON.stringify(['only', 'text'])).digest('hex');
    expect(entry.key).toBe(`hash:${expected}`);
  });

  it('changes contentHash when a reader-visible field changes, and only then', async () => {
    const base = '<title>x</title><guid>g</guid><description>d</description>';
    const hash = (await first(item(base))).contentHash;
    expect((await first(item(`${base}<category>c</category>`))).contentHash).toBe(hash);
    expect((await first(item(base.replace('<description>d', '<description>d2')))).contentHash).not.toBe(hash);
    expect((await first(item(`${base}<author>someone</author>`))).contentHash).not.toBe(hash);
    expect((await first(item(`${base}<link>https://example.com/x</link>`))).contentHash).not.toBe(hash);
  });
});

describe('normalizeFeed: odd items and feed info', () => {
  it('skips only items with neither title, link nor summary/content', async () => {
    const feed = await normalized(rss('<item><guid>only-a-guid</guid></item><item><link>https://example.com/l</link></item><item><description>d</description></item>'));
    expect(feed.entries.map((e) => [e.title, e.link])).toEqual([
      ['', 'https://example.com/l'],
      ['d', null],
    ]);
  });

  it('reads ttl in minutes, else sy:updatePeriod / updateFrequency', async () => {
    expect((await normalized(rss('', '<ttl>15</ttl>'))).info.ttlSeconds).toBe(900);
    expect((await normalized(rss('', '<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>'))).info.ttlSeconds).toBe(21_600);
    expect((await normalized(rss('', '<ttl>soon</ttl>'))).info.ttlSeconds).toBeNull();
  });

  it('resolves the site URL and is deterministic', async () => {
    const body = rss('<item><title>x</title></item>', '<link>/home</link>');
    const once = await normalized(body);
    expect(once.info.siteUrl).toBe('https://example.com/home');
    expect(await normalized(body)).toEqual(once);
  });
});
