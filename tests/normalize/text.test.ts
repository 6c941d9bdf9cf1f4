import { describe, expect, it } from 'vitest';
import { htmlToText, publishableText, publishableTitle, TITLE_MAX_CHARS, truncateText } from '../../src/normalize/text.ts';

describe('htmlToText', () => {
  it('strips tags before decoding entities, so escaped markup stays as text', () => {
    expect(htmlToText('<p>Use &lt;b&gt; for <b>bold</b></p>')).toBe('Use <b> for bold');
  });

  it('decodes entities exactly once', () => {
    expect(htmlToText('5 &amp;lt; 6 &amp;amp; 7 &eacute;')).toBe('5 &lt; 6 &amp; 7 é');
  });

  it('drops scripts, styles and comments and separates block elements', () => {
    expect(htmlToText('<p>One</p><p>Two</p><script>var x = 1;</script><style>p{}</style><!-- hidden -->')).toBe('One Two');
  });

  it('collapses whitespace including no-break spaces', () => {
    expect(htmlToText('  a\n\n\tb&nbsp;&nbsp;c  ')).toBe('a b c');
  });

  it('keeps a lone "<" that is not a tag', () => {
    expect(htmlToText('a < b and c > d')).toBe('a < b and c > d');
  });
});

describe('truncateText', () => {
  it('leaves short text alone', () => {
    expect(truncateText('short text', 500)).toBe('short text');
  });

  it('cuts at a word boundary and adds an ellipsis', () => {
    const text = `${'word '.repeat(120)}end`;
    const cut = truncateText(text, 500);
    expect(cut.endsWith('word…')).toBe(true);
    expect([...cut].length).toBeLessThanOrEqual(501);
  });

  it('cuts text without spaces (CJK) at the limit without splitting a surrogate pair', () => {
    expect(truncateText('😀'.repeat(10), 4)).toBe('😀😀😀😀…');
  });
});

describe('publishableText', () => {
  it('removes C0 controls but tab/LF/CR, DEL and C1 controls, U+FFFD and U+FFFE/U+FFFF', () => {
    expect(publishableText('a\u0000b\u0008c\u000Bd\u001Fe\u007Ff\u0085g\uFFFEh\uFFFFi\uFFFDj')).toBe('abcdefghij');
    expect(publishableText('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });

  it('removes bidi embeddings, overrides and isolates, keeps RTL text and bidi marks', () => {
    expect(publishableText('\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee\u2066f\u2067g\u2068h\u2069')).toBe('abcdefgh');
    const rtl = 'שלום \u200Fمرحبا\u200E';
    expect(publishableText(rtl)).toBe(rtl);
  });

  it('removes lone surrogates but keeps surrogate pairs (emoji)', () => {
    expect(publishableText('x\uD800y\uDC00z 😀')).toBe('xyz 😀');
  });

  it('cuts past maxChars with an ellipsis; titles at TITLE_MAX_CHARS', () => {
    const title = `${'word '.repeat(40_000)}end`;
    const cut = publishableTitle(title);
    expect([...cut].length).toBeLessThanOrEqual(TITLE_MAX_CHARS + 1);
    expect([...cut].length).toBeGreaterThan(TITLE_MAX_CHARS * 0.6);
    expect(cut.endsWith('…')).toBe(true);
    expect(publishableTitle('Short headline')).toBe('Short headline');
  });
});
