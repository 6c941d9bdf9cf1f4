// Conditional GET of one feed URL under a single deadline and a byte limit; every expected failure is a value.
import { STATUS_CODES } from 'node:http';
import type { FetchOptions, FetchRequest, FetchResult } from './contract.ts';
import { readBody } from './body-reader.ts';
import { parseMaxAgeSeconds, parseRetryAfterMs } from './cache-headers.ts';
import { startDeadline, type Deadline } from './deadline.ts';
import { describeTransportError } from './network-errors.ts';
import { discardBody, followRedirects, isHttpUrl } from './redirects.ts';
import { buildRequestHeaders } from './request-headers.ts';

const DEFAULT_MAX_REDIRECTS = 5;
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** What the classification of a final response needs to know besides the response. */
interface Landing {
  response: Response;
  finalUrl: string;
  permanentRedirect: string | null;
}

/** Fetches a feed with conditional GET, manual redirects, one overall timeout and a body limit; never throws for expected failures. */
export async function fetchFeed(req: FetchRequest, opts: FetchOptions, signal?: AbortSignal): Promise<FetchResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const url = parseFeedUrl(req.url);
  if (typeof url === 'string') return { kind: 'network', message: url, permanentRedirect: null, ms: elapsed() };
  const deadline = startDeadline(opts.timeoutMs, signal);
  let permanentRedirect: string | null = null;
  try {
    // `dispatcher` is undici's extension of RequestInit, which Node's fetch honours.
    const init: RequestInit = { headers: buildRequestHeaders(req, opts), signal: deadline.signal, ...(opts.dispatcher ? ({ dispatcher: opts.dispatcher } as RequestInit) : {}) };
    const follow = () => followRedirects(url, init, opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS);
    // A kept-alive connection the server closed while it sat idle fails before any response: one fresh try.
    const outcome = await follow().catch((error: unknown) => (isStaleConnection(error) && !deadline.signal.aborted ? follow() : Promise.reject(error)));
    if (outcome.kind === 'refused') {
      return { kind: 'http-error', status: outcome.status, message: outcome.message, retryAfterMs: null, permanentRedirect: null, ms: elapsed() };
    }
    permanentRedirect = outcome.permanentRedirect;
    return await resultOf(outcome, opts, deadline, elapsed);
  } catch (error) {
    return { ...failureOf(error, url, opts, deadline), permanentRedirect, ms: elapsed() };
  } finally {
    deadline.dispose();
  }
}

/** The URL to fetch, or the message explaining why we will not. */
function parseFeedUrl(raw: string): URL | string {
  if (!URL.canParse(raw)) return `fetch: invalid URL ${JSON.stringify(raw)}`;
  const url = new URL(raw);
  if (!isHttpUrl(url)) return `fetch: unsupported URL scheme ${url.protocol} (only http and https) in ${raw}`;
  return url;
}

async function resultOf(landing: Landing, opts: FetchOptions, deadline: Deadline, elapsed: () => number): Promise<FetchResult> {
  const { response, finalUrl, permanentRedirect } = landing;
  const headers = response.headers;
  const validators = { etag: headers.get('etag'), lastModified: headers.get('last-modified') };
  const maxAgeSeconds = parseMaxAgeSeconds(headers, Date.now());
  if (response.status === 304) {
    discardBody(response);
    return { kind: 'not-modified', ...validators, finalUrl, permanentRedirect, maxAgeSeconds, ms: elapsed() };
  }
  if (response.status < 200 || response.status > 299) return httpError(landing, elapsed());
  const contentType = headers.get('content-type');
  const refused = opts.refuseContentType?.(contentType) ?? null;
  if (refused !== null) {
    discardBody(response);
    return { kind: 'unwanted-type', message: `fetch: ${refused}`, permanentRedirect, ms: elapsed() };
  }
  const body = await readBody(response, opts.maxBytes, deadline.stop);
  if (body.kind === 'too-large') return { kind: 'too-large', message: body.message, permanentRedirect, ms: elapsed() };
  return { kind: 'ok', status: response.status, body: body.bytes, contentType, ...validators, finalUrl, permanentRedirect, maxAgeSeconds, ms: elapsed() };
}

function httpError({ response, permanentRedirect }: Landing, ms: number): FetchResult {
  discardBody(response);
  const status = response.status;
  // statusText is empty over HTTP/2 and with terse servers; the standard phrase keeps messages uniform.
  const phrase = response.statusText || STATUS_CODES[status] || 'Unknown Status';
  const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfterMs(response.headers, Date.now()) : null;
  return { kind: 'http-error', status, message: `fetch: HTTP ${status} ${phrase}`, retryAfterMs, permanentRedirect, ms };
}

/** Classifies a thrown error: our deadline first (the error itself is just the abort reason), then transport causes. */
function failureOf(error: unknown, url: URL, opts: FetchOptions, deadline: Deadline): { kind: 'timeout' | 'network'; message: string } {
  if (deadline.timedOut()) return { kind: 'timeout', message: `fetch: timed out after ${opts.timeoutMs} ms (${url.href})` };
  if (deadline.cancelled()) return { kind: 'network', message: `fetch: cancelled by caller (${url.href})` };
  return describeTransportError(error, url);
}

/** A connection reset or closed by the server before it answered (a GET is safe to send again once). */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}
