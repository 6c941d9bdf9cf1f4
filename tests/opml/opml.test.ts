import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { formatConfig } from '../../src/config/writer.ts';
import { parseOpml, renderOpml } from '../../src/opml/opml.ts';

const config = parseConfig(
  JSON.stringify({ sources: [{ id: 'bbc', title: 'BBC & friends <World>', url: 'https://feeds.example/bbc.xml?a=1&b=2', tags: ['world', 'uk'] }, { id: 'dw', url: 'https://dw.example/rss' }] }),
  'feeds.json',
);

describe('OPML', () => {
  it('renders the sources and reads them back', async () => {
    const xml = renderOpml(config.sources, new Map([['dw', 'DW World']]), Date.UTC(2026, 4, 20));
    expect(xml).toContain('<opml version="2.0">');
    expect(xml).toContain('xmlUrl="https://feeds.example/bbc.xml?a=1&amp;b=2"');
    const feeds = await parseOpml(xml);
    expect(feeds).toEqual([
      { title: 'BBC & friends <World>', url: 'https://feeds.example/bbc.xml?a=1&b=2', categories: ['storywire', 'world', 'uk'] },
      { title: 'DW World', url: 'https://dw.example/rss', categories: ['storywire'] },
    ]);
  });

  it('reads nested folders of a reader export as categories', async () => {
    const xml = `<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
      <outline text="News"><outline text="Europe">
        <outline type="rss" text="Le Monde" xmlUrl="https://lemonde.example/rss"/>
      </outline></outline>
      <outline type="rss" title="Loose" XMLURL="https://loose.example/feed"/>
    </body></opml>`;
    expect(await parseOpml(xml)).toEqual([
      { title: 'Le Monde', url: 'https://lemonde.example/rss', categories: ['News', 'Europe'] },
      { title: 'Loose', url: 'https://loose.example/feed', categories: [] },
    ]);
  });

  it('names broken documents', async () => {
    await expect(parseOpml('<opml><body>')).rejects.toThrow(/^opml: not valid XML/);
    await expect(parseOpml('<rss/>')).rejects.toThrow(/no <opml><body>/);
  });
});

describe('formatConfig', () => {
  it('writes one source per line and round-trips', () => {
    const raw = { settings: { interval: '30m' }, sources: [{ id: 'a', url: 'https://a.example/', tags: ['x', 'y'] }, { id: 'b', url: 'https://b.example/' }], feeds: [] };
    const text = formatConfig(raw);
    expect(text.split('\n').filter((l) => l.includes('"url"'))).toEqual([
      '    { "id": "a", "url": "https://a.example/", "tags": ["x", "y"] },',
      '    { "id": "b", "url": "https://b.example/" }',
    ]);
    expect(JSON.parse(text)).toEqual(raw);
  });
});
