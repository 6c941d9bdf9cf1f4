// Turns a feed's bytes into text: RFC 7303 says BOM first, then the HTTP charset, then the XML declaration.
import { charsetFromContentType, encodingFromDeclaration, sniffByteEncoding } from './charset-sniffer.ts';

/** The body decoded to a string, with the label of the encoding used. */
export interface DecodedBody {
  text: string;
  encoding: string;
}

/** Decodes a feed body; an unknown or unsupported label falls back to UTF-8 rather than failing. */
export function decodeBody(body: Uint8Array, contentType: string | null): DecodedBody {
  const sniffed = sniffByteEncoding(body);
  if (sniffed) return decodeAs(body.subarray(sniffed.bomLength), sniffed.label);
  const label = charsetFromContentType(contentType) ?? encodingFromDeclaration(body) ?? 'utf-8';
  return decodeAs(body, label);
}

function decodeAs(bytes: Uint8Array, label: string): DecodedBody {
  if (/^(utf-?32|ucs-?4)/.test(label)) return { text: decodeUtf32(bytes, !label.endsWith('be')), encoding: label };
  const decoder = textDecoderFor(label);
  if (decoder.encoding === 'windows-1252') return { text: decodeWindows1252(bytes), encoding: decoder.encoding };
  // ignoreBOM keeps a second BOM (after the one we skipped) as text, where later cleanup removes it.
  return { text: decoder.decode(bytes), encoding: decoder.encoding };
}

function textDecoderFor(label: string): TextDecoder {
  try {
    return new TextDecoder(label, { ignoreBOM: true });
  } catch {
    return new TextDecoder('utf-8', { ignoreBOM: true });
  }
}

// Bytes 0x80-0x9F of windows-1252 (the WHATWG meaning of iso-8859-1 and us-ascii too); 0 marks the five unassigned.
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

// Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (0x80-0x9F become C1 controls), losing
// the curly quotes and euro signs that are the reason feeds use it; so this one is ours.
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = Array.from(bytes.subarray(start, start + 8192), (byte) =>
      byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] || byte : byte);
    parts.push(String.fromCharCode(...chunk));
  }
  return parts.join('');
}

// WHATWG TextDecoder has no UTF-32; it is rare enough that a plain loop is fine.
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  for (let i = 0; i + 4 <= bytes.byteLength; i += 4) {
    const codePoint = view.getUint32(i, littleEndian);
    parts.push(codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\ufffd');
  }
  return parts.join('');
}
