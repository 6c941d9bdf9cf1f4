import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/index.ts';
import { FEED_URL, normalized, parseError, parsed, utf8 } from './feed-bytes.ts';

const rss = (items: string, channelExtra = '') =>
  `<rss version="2.0"><channel><title>T</title><link>https://example.com/</link>${channelExtra}${items}</channel></rss>`;
const atom = (entries: string) => `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>${entries}</feed>`;

describe('parseFeed: bad input is a named error, never an exception', () => {
  it('names an HTML page', async () => {
    expect(await parseError('<!DOCTYPE html><html><head><title>403</title></head><body>no</body></html>')).toBe(
      'not a feed: got an HTML page',
    );
    expect(await parseError('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')).toBe(
      'not a feed: got an HTML page',
    );
  });

  it('names an empty or blank body', async () => {
    expect(await parseError(new Uint8Array())).toBe('empty body');
    expect(await parseError('  \n\t ')).toBe('empty body');
  });

  it('names invalid XML with its position', async () => {
    expect(await parseError('<rss version="2.0"><channel><title>x</channel></rss>')).toMatch(
      /^invalid XML: Unexpected close tag \(line: \d+, column: \d+\)$/,
    );
  });

  it('names binary garbage', async () => {
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256);
    expect(await parseError(garbage)).toMatch(/^invalid XML: /);
  });

  it('names XML that is not a feed, and a comment-only document (which would hang xml2js)', async () => {
    expect(await parseError('<?xml version="1.0"?><opml version="2.0"><body/></opml>')).toBe('not a feed: root element <opml>');
    expect(await parseError('<!-- nothing here -->\n')).toBe('invalid XML: no root element');
  });

  it('names JSON that is not a JSON Feed, and broken JSON Feed', async () => {
    expect(await parseError('{"hello": "world"}')).toBe('not a feed: JSON without a jsonfeed.org version');
    expect(await parseError('{"version": "https://jsonfeed.org/version/1.1", "items": [', 'application/feed+json')).toMatch(
      /^invalid JSON: /,
    );
  });

  it('always resolves, even for everything at once', async () => {
    const result = await parseFeed(utf8('\u0000\u0001<<>>&&'), { contentType: 'text/html', url: FEED_URL });
    expect(result.ok).toBe(false);
  });
});

describe('parseFeed: formats', () => {
  it('reads <rss> without a version attribute as RSS 2.0', async () => {
    const feed = await parsed('<rss><channel><title>T</title><item><title>One</title></item></channel></rss>');
    expect(feed.format).toBe('rss');
    expect(feed.items).toHaveLength(1);
  });

  it('reads an <rss> that holds items without a <channel>', async () => {
    const feed = await parsed('<rss version="0.91"><title>T</title><item><title>Loose</title></item></rss>');
    expect(feed.version).toBe('rss0.91');
    expect(feed.items.map((item) => item.title)).toEqual(['Loose']);
  });

  it('reads RDF without a channel element', async () => {
    const feed = await parsed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><title>x</title></item></rdf:RDF>',
    );
    expect(feed.format).toBe('rdf');
    expect(feed.items).toHaveLength(1);
  });

  it('tells Atom 0.3 from Atom 1.0', async () => {
    expect((await parsed('<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>x</title></feed>')).version).toBe('atom03');
    expect((await parsed(atom(''))).version).toBe('atom10');
  });

  it('detects JSON Feed by content type and by body', async () => {
    const body = '{"version":"https://jsonfeed.org/version/1","title":"J","items":[{"id":"1","title":"x"}]}';
    expect((await parsed(body, 'application/json')).version).toBe('json1');
    expect((await parsed(`\n ${body}`, 'text/plain')).format).toBe('json');
  });

  it('parses a body mislabelled as text/html when it is really a feed', async () => {
    expect((await parsed(rss('<item><title>x</title></item>'), 'text/html; charset=utf-8')).items).toHaveLength(1);
  });
});

describe('parseFeed: rss-parser traps that must not lose a feed', () => {
  it("skips rss-parser's content snippet, whose regular expression is quadratic in unclosed '<' (a hostile item blocked the process)", async () => {
    const hostile = '<img '.repeat(2000);
    const body = `<rss version="2.0"><channel><title>T</title>
      <item><title>Hostile</title><link>https://news.example/h</link><description><![CDATA[${hostile}]]></description></item>
      <item><title>Fine</title><link>https://news.example/f</link><description><![CDATA[<p>Plain <b>text</b></p>]]></description></item></channel></rss>`;
    const feed = await parsed(body);
    // No snippet is made (storywire's own text comes from normalize/), and the content itself is kept whole.
    expect(feed.items.map((i) => (i as { contentSnippet?: string }).contentSnippet ?? '')).toEqual(['', '']);
    expect((await normalized(body)).entries.map((e) => [e.title, e.summary.slice(0, 10)])).toEqual([['Hostile', '<img <img '], ['Fine', 'Plain text']]);
  });

  it('keeps the other entries when one Atom entry has an unparseable date', async () => {
    const feed = await normalized(
      atom(`<entry><title>Bad date</title><id>a</id><published>not a date</published></entry>
            <entry><title>Good</title><id>b</id><published>2024-05-20T10:00:00Z</published></entry>`),
    );
    expect(feed.entries.map((e) => [e.title, e.originalDate])).toEqual([
      ['Bad date', 'not a date'],
      ['Good', null],
    ]);
  });

  it('survives an Atom <link> given as text instead of an element with href', async () => {
    const feed = await normalized(atom('<link>https://example.com/</link><entry><title>x</title><link>oops</link><id>1</id></entry>'));
    expect(feed.entries.map((e) => e.title)).toEqual(['x']);
  });

  it('reads an xhtml title (an object in rss-parser) as text', async () => {
    const feed = await normalized(
      atom('<entry><id>1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Big <b>news</b></div></title></entry>'),
    );
    expect(feed.entries[0].title).toBe('Big news');
  });

  it('reads dc:creator given twice, and dc:creator with attributes', async () => {
    const feed = await normalized(
      rss(`<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>a</title><dc:creator>Ann</dc:creator><dc:creator>Bo</dc:creator></item>
           <item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>b</title><dc:creator role="x">Cy</dc:creator></item>`),
    );
    expect(feed.entries.map((e) => e.author)).toEqual(['Ann, Bo', 'Cy']);
  });

  it('repairs HTML entities, bare ampersands and illegal control characters instead of rejecting the feed', async () => {
    const feed = await normalized(rss('<item><title>Fish &amp; chips&nbsp;&mdash; AT&T \u0001&#1;&bogus;</title></item>'));
    expect(feed.entries[0].title).toBe('Fish & chips — AT&T &bogus;');
  });

  it('finishes a body truncated just before the final ">"', async () => {
    expect((await parsed(rss('<item><title>x</title></item>').slice(0, -1))).items).toHaveLength(1);
  });

  it('keeps item and feed xml:base from the root and channel', async () => {
    const feed = await parsed('<rss version="2.0" xml:base="https://base.example/"><channel xml:base="news/"><item xml:base="x/"><title>t</title></item></channel></rss>');
    expect(feed.base).toBe('https://base.example/');
    expect(feed.attributes?.['xml:base']).toBe('news/');
    expect(feed.items[0].attributes?.['xml:base']).toBe('x/');
  });
});
