import { describe, expect, it } from 'vitest';
import { cleanText, escapeXml } from '../../src/publish/xml-text.ts';
import { el, textEl, writeXml } from '../../src/publish/xml-writer.ts';

describe('cleanText', () => {
  it('removes characters XML 1.0 forbids, C1 controls and U+FFFD', () => {
    expect(cleanText('a\u0000b\u0008c\u000Bd\u001Fe\u007Ff\u0085g\uFFFEh\uFFFFi\uFFFDj')).toBe('abcdefghij');
  });

  it('removes lone surrogates but keeps surrogate pairs (emoji)', () => {
    expect(cleanText('x\uD800y\uDC00z 😀')).toBe('xyz 😀');
  });

  it('keeps tab, newline, carriage return, RTL text and bidi marks', () => {
    const s = 'a\tb\nc\rd שלום \u202Bمرحبا\u202C';
    expect(cleanText(s)).toBe(s);
  });
});

describe('escapeXml', () => {
  it('escapes markup characters once', () => {
    expect(escapeXml('a & b < c > d "e" &amp;')).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &amp;amp;');
  });
});

describe('writeXml', () => {
  it('writes text inline, nests elements, skips empty children and null attributes', () => {
    const doc = el('root', { a: 'x"y', b: null }, [textEl('t', 'A & B'), null, false, el('empty')]);
    expect(writeXml(doc)).toBe('<?xml version="1.0" encoding="utf-8"?>\n<root a="x&quot;y">\n  <t>A &amp; B</t>\n  <empty/>\n</root>\n');
  });
});
