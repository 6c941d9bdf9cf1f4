// Test helpers: build feed bodies from strings, including legacy encodings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeFeed } from '../../src/normalize/index.ts';
import { parseFeed, type ParsedFeed } from '../../src/parse/index.ts';

export const FEED_URL = 'https://example.com/feeds/main.xml';
export const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** windows-1251 bytes of ASCII + Russian Cyrillic text (А-я and Ё/ё), which is all the fixtures need. */
export function windows1251(text: string): Uint8Array {
  return Uint8Array.from([...text], (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (char === 'Ё') return 0xa8;
    if (char === 'ё') return 0xb8;
    throw new Error(`no windows-1251 byte for ${char}`);
  });
}

/** UTF-16 bytes with a byte-order mark. */
export function utf16WithBom(text: string, endian: 'le' | 'be'): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (endian === 'be') le.swap16();
  return Uint8Array.from([...(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), ...le]);
}

/** A fixture file's bytes. */
export function fixture(name: string): Uint8Array {
  return readFileSync(path.resolve('tests/fixtures/feeds', name));
}

/** Parses a body that must be a feed; fails the test with the parse error otherwise. */
export async function parsed(body: Uint8Array | string, contentType: string | null = null): Promise<ParsedFeed> {
  const result = await parseFeed(typeof body === 'string' ? utf8(body) : body, { contentType, url: FEED_URL });
  if (!result.ok) throw new Error(`expected a feed, got: ${result.error.message}`);
  return result.feed;
}

/** Parses and normalizes a body with the fixed test clock. */
export async function normalized(body: Uint8Array | string, contentType: string | null = null, now = NOW) {
  return normalizeFeed(await parsed(body, contentType), { feedUrl: FEED_URL, now });
}

/** The parse error message for a body that must not parse. */
export async function parseError(body: Uint8Array | string, contentType: string | null = null): Promise<string> {
  const result = await parseFeed(typeof body === 'string' ? utf8(body) : body, { contentType, url: FEED_URL });
  if (result.ok) throw new Error('expected a parse error, got a feed');
  return result.error.message;
}
