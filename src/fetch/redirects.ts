// Follows redirects by hand so we can cap hops, spot loops, refuse odd schemes and notice permanent moves.
import { STATUS_CODES } from 'node:http';

/** Where the chain ended, or why we stopped following it. */
export type RedirectOutcome =
  | { kind: 'response'; response: Response; finalUrl: string; permanentRedirect: string | null }
  | { kind: 'refused'; status: number; message: string };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT_STATUSES = new Set([301, 308]);

/** True for http: and https: URLs, the only ones we fetch or follow. */
export function isHttpUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/**
 * GETs `start`, following at most `maxRedirects` hops. `permanentRedirect` is the final URL only when
 * every hop was permanent (301/308): a single temporary hop means the old URL is still the one to poll.
 * Transport errors propagate as thrown by fetch; the caller classifies them.
 */
export async function followRedirects(start: URL, init: RequestInit, maxRedirects: number): Promise<RedirectOutcome> {
  let url = start;
  let allPermanent = true;
  const visited = new Set([withoutHash(start)]);
  for (let hops = 0; ; hops++) {
    const response = await fetch(url, { ...init, redirect: 'manual' });
    if (!REDIRECT_STATUSES.has(response.status)) {
      const moved = hops > 0 && allPermanent ? url.href : null;
      return { kind: 'response', response, finalUrl: url.href, permanentRedirect: moved };
    }
    discardBody(response);
    const next = nextHop(response, url, visited, hops, maxRedirects);
    if (!(next instanceof URL)) return next;
    allPermanent &&= PERMANENT_STATUSES.has(response.status);
    visited.add(withoutHash(next));
    url = next;
  }
}

/** The URL to go to next, or why not. */
function nextHop(response: Response, from: URL, visited: Set<string>, hops: number, max: number): URL | RedirectOutcome {
  const status = response.status;
  const refuse = (why: string): RedirectOutcome => ({ kind: 'refused', status, message: `fetch: ${why}` });
  const location = response.headers.get('location');
  if (location === null || location.trim() === '') return refuse(`HTTP ${status} ${reason(status)} without a Location header`);
  const next = URL.canParse(location, from) ? new URL(location, from) : null;
  if (next === null) return refuse(`HTTP ${status} redirect to an invalid Location ${JSON.stringify(location)}`);
  if (!isHttpUrl(next)) return refuse(`redirect to unsupported scheme ${next.protocol} (${next.href})`);
  if (visited.has(withoutHash(next))) return refuse(`redirect loop via ${next.href}`);
  if (hops >= max) return refuse(`too many redirects (more than ${max}) from ${[...visited][0]}`);
  return next;
}

function withoutHash(url: URL): string {
  return url.href.replace(/#.*$/, '');
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Redirect';
}

/** Releases a body we will not read; errors here only mean the socket is already gone. */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}
