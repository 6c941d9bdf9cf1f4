// JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), read into the same model as rss-parser's output.
import type { ParsedFeed, ParsedItem, XmlValue } from './parsed-feed.ts';

type Json = Record<string, unknown>;

/** Parses JSON Feed text; throws a descriptive Error when it is not JSON or not a JSON Feed. */
export function parseJsonFeed(text: string): ParsedFeed {
  const doc = parseJson(text);
  const version = typeof doc.version === 'string' ? doc.version : '';
  const match = /jsonfeed\.org\/version\/(\d+(?:\.\d+)?)/.exec(version);
  if (!match) throw new Error('not a feed: JSON without a jsonfeed.org version');
  const items = Array.isArray(doc.items) ? doc.items.filter(isObject) : [];
  return {
    format: 'json',
    version: `json${match[1]}`,
    base: null,
    title: stringOf(doc.title),
    link: stringOf(doc.home_page_url),
    titleNodes: listOf(doc.title),
    linkNodes: listOf(doc.home_page_url),
    items: items.map((item) => toItem(item, doc)),
  };
}

function parseJson(text: string): Json {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) throw new Error('not a feed: JSON is not an object');
  return doc;
}

function toItem(item: Json, feed: Json): ParsedItem {
  const html = stringOf(item.content_html);
  const text = stringOf(item.content_text);
  // content_text is plain text: wrap it as Atom-style typed text so it is never read as HTML.
  const content: XmlValue | undefined = html ?? (text === undefined ? undefined : { _: text, $: { type: 'text' } });
  return {
    title: stringOf(item.title),
    link: stringOf(item.url),
    id: idOf(item.id),
    titleNodes: listOf(item.title),
    linkNodes: listOf(item.url ?? item.external_url),
    idNodes: listOf(idOf(item.id)),
    summaryNodes: listOf(item.summary),
    contentNodes: content === undefined ? undefined : [content],
    authorNodes: authorsOf(item) ?? authorsOf(feed),
    categoryNodes: Array.isArray(item.tags) ? item.tags.filter((tag) => typeof tag === 'string') : undefined,
    publishedNodes: listOf(item.date_published),
    updatedNodes: listOf(item.date_modified),
    jsonImageNodes: [item.image, item.banner_image].filter((url) => stringOf(url) !== undefined) as string[],
  };
}

// 1.1 has an authors array; 1.0 had a single author object.
function authorsOf(doc: Json): XmlValue[] | undefined {
  const authors = Array.isArray(doc.authors) ? doc.authors : [doc.author];
  const names = authors.filter(isObject).map((author) => stringOf(author.name)).filter((name) => name !== undefined);
  return names.length > 0 ? names : undefined;
}

// Ids are strings in the spec, but numbers are common in the wild.
function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return stringOf(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function listOf(value: unknown): string[] | undefined {
  const text = stringOf(value);
  return text === undefined ? undefined : [text];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
