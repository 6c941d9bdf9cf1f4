// Text made safe for XML 1.0 (and for JSON, so all three formats carry the same characters).

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates), plus two the
// W3C validator flags as "bad characters": C1 controls (always mojibake in news text) and U+FFFD (it marks text
// already lost in decoding, e.g. what "&#0;" decodes to).
const ILLEGAL_RE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Removes characters that may not appear in an XML 1.0 document (and the two validators flag). */
export function cleanText(text: string): string {
  return text.replace(ILLEGAL_RE, '');
}

/** Cleans and escapes text once for element content or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  // `>` is escaped too so that `]]>` can never appear in content.
  return cleanText(text).replace(/[&<>"]/g, (c) => ESCAPES[c]);
}
