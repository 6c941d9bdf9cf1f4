// One spelling per page: what the store and the story clustering compare links by.
import { isTrackingParam } from './tracking-params.ts';

/** The canonical form of an http(s) URL (lowercase scheme and host, no default port, no fragment,
 *  no tracking parameters, remaining parameters sorted), or null for anything else. */
export function canonicalizeUrl(url: string): string | null {
  const parsed = parseHttpUrl(url);
  if (!parsed) return null;
  // URL already lowercases scheme and host and drops default ports.
  const query = canonicalQuery(parsed.search);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

/** A URL without its scheme, so that http and https spellings of one page compare equal. */
export function withoutScheme(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
}

/** The canonical URL without its scheme: the identity of a page for comparison. */
export function urlIdentity(url: string): string | null {
  const canonical = canonicalizeUrl(url);
  return canonical === null ? null : withoutScheme(canonical);
}

function parseHttpUrl(url: string): URL | null {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

// Works on the raw "a=1&b=2" pairs, keeping each pair's original encoding (URLSearchParams would re-encode).
function canonicalQuery(search: string): string {
  const pairs = search.replace(/^\?/, '').split('&').filter((pair) => pair !== '' && !isTrackingParam(paramName(pair)));
  pairs.sort((a, b) => compare(paramName(a), paramName(b)) || compare(a, b));
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function paramName(pair: string): string {
  const name = pair.split('=', 1)[0];
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
