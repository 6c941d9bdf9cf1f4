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

/**
 * The one form of a URL storywire publishes (feeds, API answers, pages): resolved against `base`, http(s) only
 * (readers cannot use anything else, and javascript: never becomes a link), credentials dropped, and every character
 * RFC 3986 does not allow percent-encoded, so `"><script>` in a link can only ever be data. Null when unusable.
 */
export function publishedUrl(url: string | null | undefined, base: string | null = null): string | null {
  if (!url) return null;
  try {
    // URL parsing strips tabs/newlines (so "java\tscript:" is seen as javascript:) and encodes non-ASCII.
    const u = base ? new URL(url.trim(), base) : new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? strictUri(u) : null;
  } catch {
    return null;
  }
}

// WHATWG serialisation still lets through characters RFC 3986 forbids (| ^ [ ] a bare %, a second #), which
// URI validators (the W3C one, JSON Schema "uri") reject. Credentials are dropped: they do not belong in a feed.
function strictUri(u: URL): string {
  return `${u.protocol}//${u.host}${encodeUnsafe(u.pathname + u.search)}${u.hash ? `#${encodeUnsafe(u.hash.slice(1))}` : ''}`;
}

// Everything outside RFC 3986's unreserved and reserved characters ("#" included: only one may start the
// fragment), and any "%" that does not begin an escape.
const UNSAFE_RE = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?@!$&'()*+,;=%]/g;

function encodeUnsafe(part: string): string {
  return part.replace(UNSAFE_RE, (c) => (c === '%' ? '%25' : encodeURIComponent(c)));
}
