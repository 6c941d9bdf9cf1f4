// Makes links absolute against xml:base and the feed URL, and keeps only web links.

/** Resolves a chain of xml:base values (outermost first) against the feed URL. */
export function resolveBase(feedUrl: string, bases: readonly (string | null | undefined)[]): string {
  return bases.reduce<string>((base, next) => (next ? (resolveUrl(next, base) ?? base) : base), feedUrl);
}

/** An absolute http(s) link for `href` against `base`: as published when already absolute, else resolved. */
export function resolveLink(href: string, base: string): string | null {
  // "&amp;" in a link is double escaping (the XML parser already decoded one level); no URL means it.
  const text = href.trim().replace(/&amp;/gi, '&');
  if (text === '') return null;
  const resolved = resolveUrl(text, base);
  if (resolved === null || !/^https?:$/.test(new URL(resolved).protocol)) return null;
  // Keep the outlet's own spelling when it needed no resolving ("as the outlet published it").
  return /^https?:\/\/[^\s]+$/i.test(text) ? text : resolved;
}

function resolveUrl(href: string, base: string): string | null {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return null;
  }
}
