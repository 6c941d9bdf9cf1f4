import { describe, expect, it } from 'vitest';
import { htmlToText, truncateText } from '../../src/normalize/text.ts';

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
