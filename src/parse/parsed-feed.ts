// The parse stage's output: rss-parser's model, plus the raw nodes normalize/ needs to adapt it faithfully.
import type { FeedInfo } from '../model.ts';

/** A value as xml2js gives it: plain text, or an element with text in `_`, attributes in `$`, children by name. */
export type XmlValue = string | XmlNode;

/** An element with attributes or children (xml2js shape: children are arrays). */
export interface XmlNode {
  _?: string;
  $?: Record<string, string>;
  [child: string]: unknown;
}

/** The feed formats we read; RSS 0.9x and 2.0 share 'rss'. */
export type FeedFormat = FeedInfo['format'];

/** The fields rss-parser itself sets on an item (or our JSON Feed reader imitates). */
export interface RssParserItem {
  // rss-parser's own fields (values may be objects when the XML had attributes or markup).
  title?: unknown;
  link?: unknown;
  guid?: unknown;
  id?: unknown;
  pubDate?: unknown;
  isoDate?: string;
  creator?: unknown;
  author?: unknown;
  /** RSS description (rss-parser names it content) or Atom content. */
  content?: unknown;
  summary?: unknown;
  'content:encoded'?: unknown;
  'rdf:about'?: string;
  /** The item element's attributes (xml:base, rdf:about), via a custom field. */
  attributes?: Record<string, string>;
}

/** Custom-field keys holding raw element lists, each named after what it holds. */
export type ItemNodeKey =
  | 'titleNodes' | 'linkNodes' | 'atomLinkNodes' | 'guidNodes' | 'idNodes'
  | 'descriptionNodes' | 'summaryNodes' | 'contentNodes' | 'encodedNodes'
  | 'authorNodes' | 'creatorNodes' | 'categoryNodes' | 'subjectNodes'
  | 'pubDateNodes' | 'dcDateNodes' | 'publishedNodes' | 'issuedNodes' | 'createdNodes'
  | 'updatedNodes' | 'modifiedNodes' | 'dcModifiedNodes'
  | 'mediaContentNodes' | 'mediaThumbnailNodes' | 'mediaGroupNodes' | 'enclosureNodes' | 'itunesImageNodes'
  /** JSON Feed's image, then banner_image (URL strings). */
  | 'jsonImageNodes';

/** One item: rss-parser's fields plus our raw custom-field nodes. */
export type ParsedItem = RssParserItem & Partial<Record<ItemNodeKey, XmlValue[]>>;

/** A whole parsed feed: format, feed-level fields and items. */
export interface ParsedFeed {
  format: FeedFormat;
  /** 'rss2.0', 'rss0.91', 'rss1.0', 'atom10', 'atom03', 'json1.1'... */
  version: string;
  /** xml:base declared on the root element or the channel/feed element, if any. */
  base: string | null;
  title?: unknown;
  link?: unknown;
  attributes?: Record<string, string>;
  titleNodes?: XmlValue[];
  linkNodes?: XmlValue[];
  atomLinkNodes?: XmlValue[];
  ttl?: unknown;
  updatePeriod?: unknown;
  updateFrequency?: unknown;
  items: ParsedItem[];
}
