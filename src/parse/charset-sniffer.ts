// Finds the character encoding of a feed body, in RFC 7303 order of authority.

/** An encoding decided from the bytes themselves, and how many bytes of BOM to skip. */
export interface ByteEncoding {
  label: string;
  bomLength: number;
}

/** The encoding a byte-order mark (or, per XML 1.0 appendix F, a BOM-less `<?` in UTF-16/32) announces. */
export function sniffByteEncoding(bytes: Uint8Array): ByteEncoding | null {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { label: 'utf-8', bomLength: 3 };
  // UTF-32LE's BOM starts with UTF-16LE's, so test it first.
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { label: 'utf-32le', bomLength: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { label: 'utf-32be', bomLength: 4 };
  if (a === 0xff && b === 0xfe) return { label: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { label: 'utf-16be', bomLength: 2 };
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return { label: 'utf-32le', bomLength: 0 };
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return { label: 'utf-32be', bomLength: 0 };
  if (a === 0x3c && b === 0 && c === 0x3f && d === 0) return { label: 'utf-16le', bomLength: 0 };
  if (a === 0 && b === 0x3c && c === 0 && d === 0x3f) return { label: 'utf-16be', bomLength: 0 };
  return null;
}

/** The `charset` parameter of a Content-Type header, unquoted and lowercased. */
export function charsetFromContentType(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*("[^"]*"|'[^']*'|[^;\s]+)/i.exec(contentType ?? '');
  if (!match) return null;
  const label = match[1].replace(/^["']|["']$/g, '').trim().toLowerCase();
  return label === '' ? null : label;
}

/** The `encoding` pseudo-attribute of an XML declaration read as ASCII from the first bytes. */
export function encodingFromDeclaration(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, 256));
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (!match) return null;
  const label = match[1].toLowerCase();
  // A declaration readable as ASCII cannot truthfully claim a 16/32-bit encoding.
  return /^(utf-?(16|32)|ucs-?(2|4)|unicode)/.test(label) ? null : label;
}
