import { describe, expect, it } from 'vitest';
import { escapeMarkup } from '../../src/normalize/text.ts';
import { el, textEl, writeXml } from '../../src/publish/xml-writer.ts';

describe('escapeMarkup', () => {
  it('cleans text as every published text is, then escapes', () => {
    expect(escapeMarkup('a\u0000<b>\u202E')).toBe('a&lt;b&gt;');
  });

  it('escapes markup characters once', () => {
    expect(escapeMarkup('a & b < c > d "e" &amp;')).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &amp;amp;');
  });
});

describe('writeXml', () => {
  it('writes text inline, nests elements, skips empty children and null attributes', () => {
    const doc = el('root', { a: 'x"y', b: null }, [textEl('t', 'A & B'), null, false, el('empty')]);
    expect(writeXml(doc)).toBe('<?xml version="1.0" encoding="utf-8"?>\n<root a="x&quot;y">\n  <t>A &amp; B</t>\n  <empty/>\n</root>\n');
  });
});
