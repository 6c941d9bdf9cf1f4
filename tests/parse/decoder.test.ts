import { describe, expect, it } from 'vitest';
import { charsetFromContentType } from '../../src/parse/charset-sniffer.ts';
import { decodeBody } from '../../src/parse/decoder.ts';
import { utf16WithBom, utf8, windows1251 } from './feed-bytes.ts';

const decl = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?><t>`;

describe('decodeBody (RFC 7303 order)', () => {
  it('uses the UTF-8 BOM and drops it', () => {
    const body = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('<t>é</t>')]);
    expect(decodeBody(body, 'text/xml; charset=iso-8859-1').text).toBe('<t>é</t>');
  });

  it('lets a UTF-16 BOM (LE and BE) win over the HTTP charset and the declaration', () => {
    const xml = `${decl('iso-8859-1')}Ж</t>`;
    expect(decodeBody(utf16WithBom(xml, 'le'), 'text/xml; charset=utf-8').text).toBe(xml);
    expect(decodeBody(utf16WithBom(xml, 'be'), null).text).toBe(xml);
  });

  it('decodes UTF-32LE with a BOM', () => {
    const body = Uint8Array.from([0xff, 0xfe, 0, 0, 0x3c, 0, 0, 0, 0x74, 0, 0, 0, 0x3e, 0, 0, 0, 0x00, 0xf6, 0x01, 0]);
    expect(decodeBody(body, null).text).toBe('<t>\u{1f600}');
  });

  it('recognises BOM-less UTF-16LE by its "<?" pattern', () => {
    const body = utf16WithBom('<?xml version="1.0"?><t>Ж</t>', 'le').subarray(2);
    expect(decodeBody(body, null).text).toBe('<?xml version="1.0"?><t>Ж</t>');
  });

  it('prefers the HTTP charset over the XML declaration', () => {
    const body = windows1251(`${decl('utf-8')}Привет</t>`);
    expect(decodeBody(body, 'application/rss+xml; charset="windows-1251"').text).toContain('Привет');
  });

  it('uses the XML declaration when HTTP gives no charset', () => {
    expect(decodeBody(windows1251(`${decl('windows-1251')}Ёлка</t>`), 'text/xml').text).toContain('Ёлка');
  });

  it('decodes windows-1252 high bytes as curly quotes and euro (not C1 controls)', () => {
    const body = Uint8Array.from([...utf8(decl('windows-1252')), 0x93, 0x80, 0x94]);
    expect(decodeBody(body, null).text).toBe(`${decl('windows-1252')}\u201c\u20ac\u201d`);
  });

  it('falls back to UTF-8 for an unknown label instead of failing', () => {
    expect(decodeBody(utf8(`${decl('x-no-such-charset')}ü</t>`), null).text).toContain('ü');
    expect(decodeBody(utf8('<t>ü</t>'), 'text/xml; charset=bogus').text).toBe('<t>ü</t>');
  });

  it('defaults to UTF-8', () => {
    expect(decodeBody(utf8('<t>日本</t>'), null).text).toBe('<t>日本</t>');
  });
});

describe('charsetFromContentType', () => {
  it('reads quoted, single-quoted and bare labels, lowercased', () => {
    expect(charsetFromContentType('text/xml; charset="UTF-8"')).toBe('utf-8');
    expect(charsetFromContentType("application/atom+xml;charset='us-ascii'")).toBe('us-ascii');
    expect(charsetFromContentType('text/xml;charset=KOI8-R; foo=bar')).toBe('koi8-r');
    expect(charsetFromContentType('text/xml')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });
});
