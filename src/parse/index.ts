// The parse stage: bytes in, the parser's model out; bad input is a value, never an exception.
import { decodeBody } from './decoder.ts';
import { detectBody } from './detector.ts';
import { parseJsonFeed } from './jsonfeed.ts';
import type { ParsedFeed } from './parsed-feed.ts';
import { parseXmlFeed } from './rss.ts';
import { cleanXml } from './xml-cleaner.ts';

export type { FeedFormat, ItemNodeKey, ParsedFeed, ParsedItem, XmlNode, XmlValue } from './parsed-feed.ts';

/** A parse failure, named so that a source's status can show it. */
export interface ParseError {
  kind: 'parse';
  message: string;
}

/** The outcome of parsing one fetched body. */
export type ParseResult = { ok: true; feed: ParsedFeed } | { ok: false; error: ParseError };

/** Options of parseFeed: the response's Content-Type and the URL the body came from. */
export interface ParseOptions {
  contentType: string | null;
  url: string;
}

/** Parses an RSS, RDF, Atom or JSON Feed body; never throws for bad input. */
export async function parseFeed(body: Uint8Array, opts: ParseOptions): Promise<ParseResult> {
  if (body.byteLength === 0) return failure('empty body');
  const { text } = decodeBody(body, opts.contentType);
  const detected = detectBody(text, opts.contentType);
  if (detected.kind === 'not-a-feed') return failure(detected.message);
  try {
    const feed = detected.kind === 'json' ? parseJsonFeed(text) : await parseXmlFeed(cleanXml(text));
    return { ok: true, feed };
  } catch (error) {
    return failure(describe(error, detected.kind));
  }
}

function failure(message: string): ParseResult {
  return { ok: false, error: { kind: 'parse', message } };
}

// sax's messages span lines ("Unexpected close tag\nLine: 3\nColumn: 9\nChar: >"); keep them on one.
function describe(error: unknown, kind: 'xml' | 'json'): string {
  const message = error instanceof Error ? error.message : String(error);
  if (kind === 'json' || /^(not a feed|invalid JSON)/.test(message)) return message;
  if (/^Feed not recognized/.test(message)) return 'not a feed: unknown XML root';
  const [first, ...rest] = message.split('\n');
  const where = rest.filter((line) => /^(Line|Column):/.test(line)).join(', ').toLowerCase();
  if (where === '' && !/parse XML/.test(first)) return `unreadable feed: ${first.trim()}`;
  return `invalid XML: ${first.trim()}${where ? ` (${where})` : ''}`;
}
