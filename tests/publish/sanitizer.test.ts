import { describe, expect, it } from 'vitest';
import { sanitizeHtml, toPlainText } from '../../src/publish/sanitizer.ts';

const BASE = 'https://outlet.example/news/article-1';

// Every hostile construct, with the text that must not survive in the output.
const HOSTILE: [string, string, RegExp][] = [
  ['script tag', '<p>ok</p><script>alert(1)</script>', /script|alert/i],
  ['img onerror', '<img src="https://x.example/a.png" onerror="alert(1)">', /onerror|alert/i],
  ['javascript: href', '<a href="javascript:alert(1)">x</a>', /javascript|alert/i],
  ['entity-encoded javascript:', '<a href="&#106;avascript&#58;alert(1)">x</a>', /javascript|alert|&#/i],
  ['tab-split javascript:', '<a href="java\tscript:alert(1)">x</a>', /script|alert/i],
  ['upper-case JAVASCRIPT:', '<a href="JAVASCRIPT:alert(1)">x</a>', /script|alert/i],
  ['vbscript:', '<a href="vbscript:msgbox(1)">x</a>', /vbscript|msgbox/i],
  ['svg onload', '<svg onload="alert(1)"><circle r="1"/></svg>', /svg|onload|alert/i],
  ['data: image', '<img src="data:image/png;base64,AAAA">', /data:|<img/i],
  ['data: link', '<a href="data:text/html,<script>alert(1)</script>">x</a>', /data:|script|alert/i],
  ['style tag', '<style>body{background:url(javascript:x)}</style><p>t</p>', /style|javascript|background/i],
  ['style attribute', '<p style="background:url(javascript:x)">t</p>', /style|javascript/i],
  ['iframe', '<iframe src="https://evil.example/"></iframe>', /iframe|evil/i],
  ['object/embed', '<object data="x.swf"><embed src="x.swf"></object>', /object|embed|swf/i],
  ['form', '<form action="https://evil.example/"><input name="p"></form>', /form|input|evil/i],
  ['event handler on allowed tag', '<p onclick="alert(1)" onmouseover="alert(2)">t</p>', /onclick|onmouseover|alert/i],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/">', /meta|refresh|evil/i],
];

describe('sanitizeHtml', () => {
  it.each(HOSTILE)('removes %s', (_name, html, forbidden) => {
    expect(sanitizeHtml(html, BASE)).not.toMatch(forbidden);
  });

  it('keeps allowed formatting and text', () => {
    const html = '<p>A <em>big</em> <strong>day</strong></p><ul><li>one</li></ul><blockquote>q</blockquote><br>';
    expect(sanitizeHtml(html, BASE)).toBe('<p>A <em>big</em> <strong>day</strong></p><ul><li>one</li></ul><blockquote>q</blockquote><br />');
  });

  it('makes relative href and src absolute against the entry link', () => {
    const out = sanitizeHtml('<a href="/world/2">w</a><img src="../img/a.png" alt="a"><a href="//cdn.example/x">c</a>', BASE);
    expect(out).toContain('href="https://outlet.example/world/2"');
    expect(out).toContain('src="https://outlet.example/img/a.png"');
    expect(out).toContain('href="https://cdn.example/x"');
  });

  it('drops relative URLs when there is no base, keeping the link text but not a broken image', () => {
    expect(sanitizeHtml('<a href="/x">text</a><img src="/a.png">', null)).toBe('<a>text</a>');
  });

  it('keeps absolute http(s) URLs without a base', () => {
    expect(sanitizeHtml('<img src="http://x.example/a.png">', null)).toBe('<img src="http://x.example/a.png" />');
  });

  it("keeps an image's alt text and size, and no other attribute", () => {
    expect(sanitizeHtml('<img src="http://x.example/a.png" alt="A &amp; B" width="640" height="360" style="x" loading="lazy">', null)).toBe(
      // The URL policy rewrites src, which puts it last.
      '<img alt="A &amp; B" width="640" height="360" src="http://x.example/a.png" />',
    );
  });

  it('escapes text exactly once', () => {
    expect(sanitizeHtml('<p>AT&amp;T &lt;b&gt; 5 < 6</p>', BASE)).toBe('<p>AT&amp;T &lt;b&gt; 5 &lt; 6</p>');
  });
});

describe('toPlainText', () => {
  it('strips markup, drops script content and decodes entities once', () => {
    expect(toPlainText('Q&amp;A: <b>hi</b><script>alert(1)</script> &amp;amp;')).toBe('Q&A: hi &amp;');
  });

  it('keeps plain text with ampersands and comparisons as written', () => {
    expect(toPlainText('AT&T says 5 < 6 and 7 > 3')).toBe('AT&T says 5 < 6 and 7 > 3');
  });

  it('removes control characters and collapses whitespace', () => {
    expect(toPlainText(' a\u0000b \n\t c\u0007 ')).toBe('ab c');
  });
});
