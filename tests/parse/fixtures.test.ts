// The hand-written fixture feeds, one per format and encoding, end to end through parse + normalize.
import { describe, expect, it } from 'vitest';
import { fixture, normalized, utf16WithBom, windows1251 } from './feed-bytes.ts';

describe('fixture feeds', () => {
  it('RSS 2.0', async () => {
    const feed = await normalized(fixture('rss20.xml'));
    expect(feed.info).toEqual({ format: 'rss', title: 'Harbour Gazette & Friends', siteUrl: 'https://gazette.example/', ttlSeconds: 1800 });
    const [ferry, market] = feed.entries;
    expect(ferry).toMatchObject({
      key: 'guid:gazette-7',
      title: 'Ferry returns after storm', // escaped markup in an RSS title is HTML
      link: 'https://gazette.example/news/ferry-returns?utm_source=rss&id=7',
      canonicalUrl: 'https://gazette.example/news/ferry-returns?id=7',
      summary: 'The ferry sailed again on Monday.',
      content: '<p>The <b>ferry</b> sailed again on Monday, after three days.</p>',
      author: 'Ana Lima',
      categories: ['Transport'],
      publishedAt: Date.UTC(2024, 4, 20, 6, 30),
    });
    // A permalink guid doubles as the link, and its key ignores the scheme.
    expect(market).toMatchObject({ link: 'http://gazette.example/news/market', key: 'guid:gazette.example/news/market' });
  });

  it('RSS 0.91 with HTML entities from its DTD', async () => {
    const feed = await normalized(fixture('rss091.xml'));
    expect(feed.info.format).toBe('rss');
    expect(feed.entries[0]).toMatchObject({ title: 'Café opens on the quay', summary: 'Coffee and cake.', key: 'url:oldwire.example/cafe.html' });
  });

  it('RSS 1.0 (RDF) with sy:updatePeriod', async () => {
    const feed = await normalized(fixture('rdf.xml'));
    expect(feed.info).toEqual({ format: 'rdf', title: 'RDF Times', siteUrl: 'https://rdf.example/', ttlSeconds: 1800 });
    expect(feed.entries[0]).toMatchObject({
      guid: 'https://rdf.example/a/1',
      author: 'R. Ortega',
      categories: ['Politics'],
      publishedAt: Date.UTC(2024, 4, 20, 10),
    });
  });

  it('Atom 1.0 with xml:base, typed text and an enclosure before the alternate link', async () => {
    const feed = await normalized(fixture('atom10.xml'));
    expect(feed.info).toEqual({ format: 'atom', title: 'Atom Observer', siteUrl: 'https://atom.example/', ttlSeconds: null });
    expect(feed.entries[0]).toMatchObject({
      title: 'Tides & times',
      link: 'https://atom.example/blog/posts/tides',
      summary: 'High tide at noon.',
      content: '<p>High <em>tide</em></p>',
      author: 'Kai Moana',
      categories: ['Sea'],
      publishedAt: Date.UTC(2024, 4, 19, 9),
      updatedAt: Date.UTC(2024, 4, 20, 7),
    });
  });

  it('Atom 0.3 with issued/modified and escaped mode', async () => {
    const feed = await normalized(fixture('atom03.xml'));
    expect(feed.info.siteUrl).toBe('http://atom03.example/');
    expect(feed.entries[0]).toMatchObject({
      link: 'http://atom03.example/first',
      summary: 'Dawn over the hills.',
      publishedAt: Date.UTC(2004, 0, 1, 13),
      updatedAt: Date.UTC(2004, 0, 2, 10),
    });
  });

  it('JSON Feed 1.1', async () => {
    const feed = await normalized(fixture('jsonfeed11.json'), 'application/feed+json');
    expect(feed.info).toEqual({ format: 'json', title: 'JSON Ledger', siteUrl: 'https://ledger.example/', ttlSeconds: null });
    const [rates, note] = feed.entries;
    expect(rates).toMatchObject({
      key: 'guid:ledger.example/2024/rates',
      summary: 'The bank held rates.',
      content: '<p>The bank held <b>rates</b>.</p>',
      author: 'Ledger Desk',
      categories: ['economy', 'banks'],
      updatedAt: Date.UTC(2024, 4, 20, 14),
    });
    // content_text is text: escaped as content, literal in the summary, and the title is derived from it.
    expect(note).toMatchObject({ key: 'guid:42', link: null, content: 'A note with no title, only text that says &lt;this&gt; literally.' });
    expect(note.title).toBe('A note with no title, only text that says <this> literally.');
  });

  it('windows-1251 declared in the XML declaration', async () => {
    const body = windows1251('<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Новости</title><item><title>Ёжик в тумане</title></item></channel></rss>');
    const feed = await normalized(body);
    expect([feed.info.title, feed.entries[0].title]).toEqual(['Новости', 'Ёжик в тумане']);
  });

  it('UTF-16 with a BOM, whose declaration wrongly says UTF-8', async () => {
    const body = utf16WithBom('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>日本語</title><entry><id>1</id><title>Ω tests</title></entry></feed>', 'be');
    const feed = await normalized(body);
    expect([feed.info.title, feed.entries[0].title]).toEqual(['日本語', 'Ω tests']);
  });
});
