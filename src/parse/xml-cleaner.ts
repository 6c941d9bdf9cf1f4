// Repairs the small well-formedness faults that make a strict XML parser give up on a whole feed.
import { decodeHTML } from 'entities';

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, and lone surrogates).
const ILLEGAL_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// CDATA sections and comments are copied untouched; every other `&` is checked.
const AMPERSANDS = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(?:#(\d{1,8});|#[xX]([0-9a-fA-F]{1,7});|([A-Za-z][A-Za-z0-9]{0,31});)?/g;

/** Prepares decoded text for the XML parser: no BOM, no encoding claim, no illegal characters or references. */
export function cleanXml(text: string): string {
  const cleaned = fixAmpersands(dropEncodingClaim(text.replace(/^\uFEFF/, '')).replace(ILLEGAL_CHARS, ''));
  return closeFinalTag(cleaned);
}

// A body cut one character short ("...</rss") is otherwise complete; finish the last end tag.
function closeFinalTag(text: string): string {
  return text.replace(/(<\/[A-Za-z_][\w.:-]*)\s*$/, '$1>');
}

// The text is already decoded; an encoding="..." left in place would only mislead a later reader.
function dropEncodingClaim(text: string): string {
  return text.replace(/^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*(["'])[^"']*\2/, '$1');
}

function fixAmpersands(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(AMPERSANDS, (match, decimal?: string, hex?: string, name?: string) => {
    if (!match.startsWith('&')) return match;
    if (decimal !== undefined) return isXmlChar(Number.parseInt(decimal, 10)) ? match : '';
    if (hex !== undefined) return isXmlChar(Number.parseInt(hex, 16)) ? match : '';
    if (name !== undefined) return entityReference(name);
    return '&amp;';
  });
}

// HTML's named entities become numeric references (the XML parser knows only five names);
// an unknown name is kept as literal text.
function entityReference(name: string): string {
  if (XML_ENTITIES.has(name)) return `&${name};`;
  const decoded = decodeHTML(`&${name};`);
  if (decoded === `&${name};`) return `&amp;${name};`;
  return [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
}

function isXmlChar(code: number): boolean {
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  return (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
