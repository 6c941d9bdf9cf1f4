// RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through rss-parser, with its known traps defused.
import { createRequire } from 'node:module';
import Parser from 'rss-parser';
import type { FeedFormat, ParsedFeed, ParsedItem, XmlNode, XmlValue } from './parsed-feed.ts';

type Root = Record<string, XmlValue | undefined>;
type Field = [string, string, { keepArray: true }];

// Raw element lists (keepArray) so that attributes like type, rel, xml:base and isPermaLink survive.
const keep = (element: string, key: string): Field => [element, key, { keepArray: true }];
const ITEM_FIELDS: Field[] = [
  keep('$', 'attributes'), keep('title', 'titleNodes'), keep('link', 'linkNodes'), keep('atom:link', 'atomLinkNodes'),
  keep('guid', 'guidNodes'), keep('id', 'idNodes'), keep('description', 'descriptionNodes'),
  keep('summary', 'summaryNodes'), keep('content', 'contentNodes'), keep('content:encoded', 'encodedNodes'),
  keep('author', 'authorNodes'), keep('dc:creator', 'creatorNodes'), keep('category', 'categoryNodes'),
  keep('dc:subject', 'subjectNodes'), keep('pubDate', 'pubDateNodes'), keep('dc:date', 'dcDateNodes'),
  keep('published', 'publishedNodes'), keep('issued', 'issuedNodes'), keep('created', 'createdNodes'),
  keep('updated', 'updatedNodes'), keep('modified', 'modifiedNodes'), keep('dcterms:modified', 'dcModifiedNodes'),
  keep('media:content', 'mediaContentNodes'), keep('media:thumbnail', 'mediaThumbnailNodes'),
  keep('media:group', 'mediaGroupNodes'), keep('enclosure', 'enclosureNodes'), keep('itunes:image', 'itunesImageNodes'),
];
const FEED_FIELDS: (Field | [string, string])[] = [
  keep('$', 'attributes'), keep('title', 'titleNodes'), keep('link', 'linkNodes'), keep('atom:link', 'atomLinkNodes'),
  ['ttl', 'ttl'], ['sy:updatePeriod', 'updatePeriod'], ['sy:updateFrequency', 'updateFrequency'],
];

// rss-parser's build steps are not in its typings; these are the ones we wrap.
interface ParserInternals {
  parseString(xml: string): Promise<ParsedFeed>;
  buildAtomFeed(xml: Root): ParsedFeed;
  buildRSS0_9(xml: Root): ParsedFeed;
  buildRSS1(xml: Root): ParsedFeed;
  buildRSS2(xml: Root): ParsedFeed;
  parseItemAtom(entry: XmlNode): ParsedItem;
}
const RssParser = Parser as unknown as new (options: object) => ParserInternals;

// rss-parser makes every item's `contentSnippet` with /<(?:.|\n)*?>/, which is quadratic in unclosed "<": a hostile
// item of 20,000 "<img " took 3 s, 60,000 took 23 s, blocking the whole process. storywire never reads the snippet
// (normalize/ makes its own text in linear time), so the library's helper, shared through its utils module, is
// replaced by one that makes none. Guarded: a future rss-parser without that helper is left as it is.
const rssUtils = createRequire(import.meta.url)('rss-parser/lib/utils.js') as { getSnippet?: unknown };
if (typeof rssUtils.getSnippet === 'function') rssUtils.getSnippet = () => '';

class TolerantParser extends RssParser {
  override buildAtomFeed(xml: Root): ParsedFeed {
    const feed = asNode(xml.feed);
    const version = feed.$?.version === '0.3' ? 'atom03' : 'atom10';
    return tag(super.buildAtomFeed({ feed: { ...feed, link: linkElements(feed.link) } }), 'atom', version, null);
  }

  override parseItemAtom(entry: XmlNode): ParsedItem {
    const safe = { ...entry, link: linkElements(entry.link) };
    try {
      return super.parseItemAtom(safe);
    } catch {
      // rss-parser calls toISOString() on any published/updated text and throws on a bad date;
      // parse the entry without them and keep the raw date nodes for normalize/.
      const item = super.parseItemAtom({ ...safe, published: undefined, updated: undefined });
      return { ...item, publishedNodes: asList(entry.published), updatedNodes: asList(entry.updated) };
    }
  }

  override buildRSS2(xml: Root): ParsedFeed {
    const rss = asNode(xml.rss);
    return tag(super.buildRSS2({ rss: withChannel(rss) }), 'rss', `rss${rss.$?.version ?? '2.0'}`, baseOf(rss));
  }

  override buildRSS0_9(xml: Root): ParsedFeed {
    const rss = asNode(xml.rss);
    return tag(super.buildRSS0_9({ rss: withChannel(rss) }), 'rss', `rss${rss.$?.version ?? '0.91'}`, baseOf(rss));
  }

  override buildRSS1(xml: Root): ParsedFeed {
    const rdf = asNode(xml['rdf:RDF']);
    const version = /netscape\.com\/rdf\/simple\/0\.9/.test(rdf.$?.xmlns ?? '') ? 'rss0.90' : 'rss1.0';
    const channel = Array.isArray(rdf.channel) ? rdf.channel : [{}];
    return tag(super.buildRSS1({ 'rdf:RDF': { ...rdf, channel } }), 'rdf', version, baseOf(rdf));
  }
}

// Built once: the parser is stateless between calls and constructing it is not free.
const parser = new TolerantParser({ defaultRSS: 2, customFields: { item: ITEM_FIELDS, feed: FEED_FIELDS } });

/** Parses RSS or Atom text with rss-parser; rejects with the XML parser's error on malformed input. */
export function parseXmlFeed(xml: string): Promise<ParsedFeed> {
  return Promise.race([parser.parseString(xml), unsettled()]);
}

// xml2js parses synchronously but, on some inputs (a lone comment, no root), never calls back at all;
// a promise still pending one macrotask later would hang the poll forever.
function unsettled(): Promise<never> {
  return new Promise((_, reject) => setImmediate(() => reject(new Error('XML parser did not finish: no root element?'))));
}

function tag(feed: ParsedFeed, format: FeedFormat, version: string, base: string | null): ParsedFeed {
  return { ...feed, format, version, base };
}

// rss-parser reads rss.channel[0] unguarded; an <rss> holding items directly is treated as its own channel.
function withChannel(rss: XmlNode): XmlNode {
  return Array.isArray(rss.channel) && rss.channel.length > 0 ? rss : { ...rss, channel: [{ ...rss, $: undefined }] };
}

// rss-parser reads link.$.rel on every Atom link; a bare-text <link> would throw and lose the feed.
function linkElements(links: unknown): XmlNode[] | undefined {
  if (!Array.isArray(links)) return undefined;
  const elements = links.filter((link): link is XmlNode => typeof link === 'object' && link !== null && '$' in link);
  return elements.length > 0 ? elements : undefined;
}

function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

function asList(value: unknown): XmlValue[] | undefined {
  return Array.isArray(value) ? (value as XmlValue[]) : undefined;
}

function baseOf(root: XmlNode): string | null {
  return root.$?.['xml:base'] ?? null;
}
