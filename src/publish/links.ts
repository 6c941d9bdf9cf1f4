// The absolute URLs a feed writes: its own addresses, the web page, outlets' articles and story pages.
import type { FeedMeta, PublishedEntry, PublishedFormat, PublishedStory } from './types.ts';

/** The URL a feed is served at (the validator requires rel="self" to equal it). */
export function selfUrl(meta: FeedMeta, format: PublishedFormat): string {
  return `${origin(meta)}/feeds/${meta.slug}.${format}`;
}

/** The web page a feed stands for: the home page for `all`, else the feed's page. */
export function pageUrl(meta: FeedMeta): string {
  return meta.slug === 'all' ? `${origin(meta)}/` : `${origin(meta)}/feeds/${meta.slug}`;
}

/** Our page for one story, used when no outlet link is usable. */
export function storyPageUrl(meta: FeedMeta, storyId: number): string {
  return `${origin(meta)}/stories/${storyId}`;
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

/** An entry's article link, made absolute against its outlet's site (then feed) address. */
export function entryLink(entry: PublishedEntry): string | null {
  return publishedUrl(entry.url, publishedUrl(entry.sourceSiteUrl, null) ?? publishedUrl(entry.sourceFeedUrl, null));
}

/** The item link: the representative article, else the story's own url, else our story page. */
export function storyLink(meta: FeedMeta, story: PublishedStory): string {
  const rep = story.representative;
  return entryLink(rep) ?? entryLink({ ...rep, url: story.url }) ?? storyPageUrl(meta, story.id);
}

function origin(meta: FeedMeta): string {
  // The contract says no trailing slash; tolerate one rather than write "//feeds".
  return meta.baseUrl.replace(/\/+$/, '');
}
