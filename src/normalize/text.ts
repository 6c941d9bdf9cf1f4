// Plain-text cleanup: HTML to text, whitespace, truncation.
import { decodeHTML } from 'entities';

const INVISIBLE_BLOCKS = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const TAG = /<\/?[A-Za-z][\w:-]*(?:\s[^<>]*)?\/?>/g;

/** HTML to plain text: tags removed (block tags become spaces), entities decoded once, whitespace collapsed. */
export function htmlToText(html: string): string {
  // Strip before decoding, so that escaped markup like "&lt;b&gt;" survives as the literal text "<b>".
  const stripped = html.replace(/<!\[CDATA\[|\]\]>/g, '').replace(INVISIBLE_BLOCKS, ' ').replace(TAG, ' ');
  return collapseWhitespace(decodeHTML(stripped));
}

/** Runs of whitespace (including no-break and zero-width spaces) become one space; ends trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u200b\u200c\u200d\u2060\ufeff]+/g, ' ').trim();
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

/** Escapes text for inclusion in HTML or an XML attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
