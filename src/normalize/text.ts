// Plain-text cleanup: HTML to text, whitespace, truncation, and the characters no published text may carry.
import { decodeHTML } from 'entities';
import { repairMojibake } from './mojibake.ts';

const INVISIBLE_BLOCKS = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const TAG = /<\/?[A-Za-z][\w:-]*(?:\s[^<>]*)?\/?>/g;

/** HTML to plain text: tags removed (block tags become spaces), entities decoded once, whitespace collapsed. */
export function htmlToText(html: string): string {
  // Strip before decoding, so that escaped markup like "&lt;b&gt;" survives as the literal text "<b>".
  const stripped = html.replace(/<!\[CDATA\[|\]\]>/g, '').replace(INVISIBLE_BLOCKS, ' ').replace(TAG, ' ');
  return collapseWhitespace(decodeHTML(stripped));
}

/** Unpublishable characters removed (publishableText), then runs of whitespace (including no-break and zero-width spaces) become one space; ends trimmed. */
export function collapseWhitespace(text: string): string {
  return publishableText(text).replace(/[\s\u200b\u200c\u200d\u2060\ufeff]+/g, ' ').trim();
}

/** Cuts text at a word boundary near `max` characters, marking the cut with "…". */
export function truncateText(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  const boundary = head.lastIndexOf(' ');
  // Cut mid-word only when the text has no space in a reasonable range (e.g. CJK).
  const cut = boundary > max * 0.6 ? head.slice(0, boundary) : head;
  return `${cut.replace(/[\s,;:.!?-]+$/, '')}…`;
}

const MARKUP_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * The one escaper of HTML and XML: text cleaned as all published text is (publishableText), then escaped once for
 * element content or a double-quoted attribute value. `>` is escaped too, so `]]>` can never appear in content.
 */
export function escapeMarkup(text: string): string {
  return publishableText(text).replace(/[&<>"]/g, (c) => MARKUP_ESCAPES[c]);
}

// Characters no published text carries: C0 controls but tab, LF and CR (XML 1.0 forbids them), DEL and C1 controls
// (always mojibake in news text), bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: they can
// reorder what a reader sees, e.g. a link's text), U+FFFD (text already lost in decoding), the noncharacters
// U+FFFE/U+FFFF, and lone surrogates. Bidi marks (U+200E/U+200F) stay: they only nudge, never reorder.
const UNPUBLISHABLE_RE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The longest title storywire stores or publishes, in characters; longer ones are cut with "…". */
export const TITLE_MAX_CHARS = 1000;

/**
 * Text as storywire publishes it anywhere (feeds, API, pages) and stores it: double-encoded UTF-8 repaired (before
 * its C1 controls would be dropped as unpublishable), unpublishable characters removed, then cut with "…" past
 * `maxChars` when given (titles: TITLE_MAX_CHARS). Whitespace is left as it is.
 */
export function publishableText(text: string, maxChars?: number): string {
  const clean = repairMojibake(text).replace(UNPUBLISHABLE_RE, '');
  return maxChars === undefined ? clean : truncateText(clean, maxChars);
}

/** A title as published: publishableText cut at TITLE_MAX_CHARS. */
export function publishableTitle(text: string): string {
  return publishableText(text, TITLE_MAX_CHARS);
}
