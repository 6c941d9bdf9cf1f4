// Decides what a decoded body is before any parser sees it, so failures get a clear name.

/** What a body looks like: which parser to use, or why none applies. */
export type BodyKind =
  | { kind: 'xml' }
  | { kind: 'json' }
  | { kind: 'not-a-feed'; message: string };

const FEED_ROOTS = /^(rss|feed|([\w.-]+:)?RDF)$/;
const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)*/i;

/** Classifies a body as an XML feed, a JSON Feed, or something else (HTML page, other XML, empty). */
export function detectBody(text: string, contentType: string | null): BodyKind {
  const trimmed = text.trimStart();
  if (trimmed === '') return { kind: 'not-a-feed', message: 'empty body' };
  if (trimmed.startsWith('{')) return detectJson(trimmed, contentType);
  if (/^<!DOCTYPE\s+html/i.test(trimmed)) return htmlPage();
  const root = rootElementName(trimmed);
  if (root === null) return rootless(trimmed);
  if (root.toLowerCase() === 'html') return htmlPage();
  if (FEED_ROOTS.test(root)) return { kind: 'xml' };
  return { kind: 'not-a-feed', message: `not a feed: root element <${root}>` };
}

/** The name of the first element after the XML prolog, or null when there is none. */
export function rootElementName(text: string): string | null {
  const rest = text.slice(PROLOG.exec(text)?.[0].length ?? 0);
  return /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1] ?? null;
}

function detectJson(text: string, contentType: string | null): BodyKind {
  const declaredJson = /^application\/(feed\+)?json/i.test(contentType?.trim() ?? '');
  if (declaredJson || /jsonfeed\.org\/version/.test(text.slice(0, 4096))) return { kind: 'json' };
  return { kind: 'not-a-feed', message: 'not a feed: JSON without a jsonfeed.org version' };
}

// No element after the prolog: either a document with no root, or not XML at all (binary, plain text).
function rootless(text: string): BodyKind {
  if (text.startsWith('<')) return { kind: 'not-a-feed', message: 'invalid XML: no root element' };
  return { kind: 'not-a-feed', message: 'invalid XML: does not start with markup' };
}

function htmlPage(): BodyKind {
  return { kind: 'not-a-feed', message: 'not a feed: got an HTML page' };
}
