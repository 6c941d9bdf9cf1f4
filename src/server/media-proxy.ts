// The media proxy's engine: fetches a picture through the feed fetcher (its timeout, redirects and a byte cap), takes
// only raster images, keeps them in memory bounded by bytes, revalidates them upstream with conditional GET, and makes
// one upstream request however many readers ask for the same picture at once. Which URLs may be asked is the route's
// business (routes/media.ts checks them against stored entries first).
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { FeedAddresses, guardedDispatcher, INTERNAL_ADDRESS_CODE } from '../fetch/address-guard.ts';
import { fetchFeed, type FetchResult } from '../fetch/index.ts';
import { HostLimiter } from '../lib/limiter.ts';
import { sniffImage } from './image-sniff.ts';

/** A picture as the proxy serves it, with what it needs to revalidate it upstream. */
export interface ProxiedImage {
  bytes: Uint8Array;
  /** The type its bytes are (sniffed), which is what we serve. */
  contentType: string;
  /** Our strong ETag: a hash of the bytes. */
  etag: string;
  upstreamEtag: string | null;
  upstreamLastModified: string | null;
  /** Until when it is served without asking upstream (ms since the epoch). */
  freshUntil: number;
  /** When upstream last gave or confirmed these bytes (ms since the epoch). */
  confirmedAt: number;
}

/** Why a picture is not served; each is answered 502 (504 for a timeout) with its code. */
export type MediaRefusal =
  | 'media_not_image'
  | 'media_not_image_bytes'
  | 'media_too_large'
  | 'media_timeout'
  | 'media_upstream_error'
  | 'media_unreachable';

/** How a picture was found: in the cache, fetched now, confirmed upstream (304), or kept after a failed revalidation. */
export type MediaSource = 'cache' | 'fetched' | 'revalidated' | 'stale';

export type MediaOutcome =
  | { kind: 'image'; image: ProxiedImage; source: MediaSource }
  | { kind: 'refused'; code: MediaRefusal; message: string };

/** The limits of one fetch, from the settings of the moment. */
export interface MediaLimits {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  /** Hosts of the sources in feeds.json (one array per config): an internal address is reached only when one lives there. */
  feedHosts: readonly string[];
}

/**
 * Budget of cached pictures, in bytes. A thumbnail is 20-200 KB, so 64 MiB keeps the pictures of several hundred
 * stories; the least recently used goes first.
 */
export const MEDIA_CACHE_BYTES = 64 * 1024 * 1024;
/** Bounds of how long a picture is served without asking upstream; upstream's own max-age is kept within them. */
export const MIN_FRESH_MS = 3_600_000;
export const MAX_FRESH_MS = 86_400_000;
/** After a failed revalidation the copy we have is served, and upstream asked again no sooner than this. */
export const RETRY_AFTER_FAILURE_MS = 60_000;
/** A refusal is remembered this long, so a broken picture on a busy page costs the outlet one request a minute. */
export const REFUSAL_MS = 60_000;
/** Longest a picture is served from memory while its outlet cannot be reached, after the outlet last confirmed it. */
export const MAX_STALE_MS = 7 * 86_400_000;
/** Upstream fetches at once, overall and per outlet host: a page of thumbnails must not flood one outlet. */
export const MEDIA_CONCURRENCY = 16;
export const MEDIA_PER_HOST = 4;

/** Raster formats first; SVG never (it can carry scripts). */
const ACCEPT_IMAGES = 'image/avif, image/webp, image/png, image/jpeg, image/gif, image/*;q=0.8, image/svg+xml;q=0';

export class MediaProxy {
  private readonly images: LRUCache<string, ProxiedImage>;
  private readonly refusals = new LRUCache<string, { outcome: MediaOutcome; until: number }>({ max: 10_000 });
  private readonly inflight = new Map<string, Promise<MediaOutcome>>();
  private readonly limiter = new HostLimiter(MEDIA_CONCURRENCY, MEDIA_PER_HOST);
  private readonly feedAddresses: FeedAddresses;
  private readonly dispatcher: ReturnType<typeof guardedDispatcher>;

  constructor(
    private readonly now: () => number = Date.now,
    maxBytes = MEDIA_CACHE_BYTES,
  ) {
    this.feedAddresses = new FeedAddresses(now);
    this.dispatcher = guardedDispatcher((address) => this.feedAddresses.allows(address));
    this.images = new LRUCache<string, ProxiedImage>({ maxSize: maxBytes, sizeCalculation: (image, url) => image.bytes.byteLength + url.length + 256 });
  }

  /** The picture at `url` (which the caller has checked may be served), from the cache when fresh. */
  get(url: string, limits: MediaLimits): Promise<MediaOutcome> {
    const now = this.now();
    const cached = this.images.get(url);
    if (cached && cached.freshUntil > now) return Promise.resolve({ kind: 'image', image: cached, source: 'cache' });
    const refused = this.refusals.get(url);
    if (!cached && refused && refused.until > now) return Promise.resolve(refused.outcome);
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = this.load(url, cached, limits).finally(() => this.inflight.delete(url));
      this.inflight.set(url, pending);
    }
    return pending;
  }

  /** Bytes the cached pictures count for. */
  get bytes(): number {
    return this.images.calculatedSize;
  }

  private async load(url: string, cached: ProxiedImage | undefined, limits: MediaLimits): Promise<MediaOutcome> {
    const request = { url, etag: cached?.upstreamEtag ?? null, lastModified: cached?.upstreamLastModified ?? null };
    const options = { ...limits, accept: ACCEPT_IMAGES, refuseContentType: refuseType, dispatcher: this.dispatcher };
    this.feedAddresses.use(limits.feedHosts);
    let result = await this.limiter.run(url, () => fetchFeed(request, options));
    // Refused as internal: if a feed's host name resolves there (an intranet feed), that address is welcome; ask again.
    if (result.kind === 'network' && result.message.includes(INTERNAL_ADDRESS_CODE) && (await this.feedAddresses.resolve(limits.feedHosts))) {
      result = await this.limiter.run(url, () => fetchFeed(request, options));
    }
    const now = this.now();
    if (result.kind === 'not-modified' && cached) {
      const image = { ...cached, freshUntil: now + freshMs(result.maxAgeSeconds), confirmedAt: now };
      this.images.set(url, image);
      return { kind: 'image', image, source: 'revalidated' };
    }
    const outcome = result.kind === 'ok' ? this.accept(url, result, now) : refusalOf(result);
    if (outcome.kind === 'image') return outcome;
    if (cached && isTransient(result) && now - cached.confirmedAt < MAX_STALE_MS) {
      // The outlet is down for now: the picture we have is still the entry's picture, and better than none.
      const image = { ...cached, freshUntil: now + RETRY_AFTER_FAILURE_MS };
      this.images.set(url, image);
      return { kind: 'image', image, source: 'stale' };
    }
    // A definite answer (gone, no longer an image, too large) or a week without one: the copy in hand goes too.
    this.images.delete(url);
    this.refusals.set(url, { outcome, until: now + REFUSAL_MS });
    return outcome;
  }

  private accept(url: string, result: Extract<FetchResult, { kind: 'ok' }>, now: number): MediaOutcome {
    const contentType = sniffImage(result.body);
    if (contentType === null) {
      return { kind: 'refused', code: 'media_not_image_bytes', message: `the body is not a JPEG, PNG, GIF, WebP, AVIF, BMP or ICO image although it says ${result.contentType}` };
    }
    const image: ProxiedImage = {
      bytes: result.body,
      contentType,
      etag: `"${createHash('sha256').update(result.body).digest('base64url')}"`,
      upstreamEtag: result.etag,
      upstreamLastModified: result.lastModified,
      freshUntil: now + freshMs(result.maxAgeSeconds),
      confirmedAt: now,
    };
    this.images.set(url, image);
    return { kind: 'image', image, source: 'fetched' };
  }
}

/** The refusal message for a Content-Type that is not a raster image, or null to read the body. */
function refuseType(contentType: string | null): string | null {
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (type === 'image/svg+xml') return 'SVG is not served: it can carry scripts';
  if (!type.startsWith('image/')) return `not an image: Content-Type ${type === '' ? 'missing' : type}`;
  return null;
}

/** A failure that says nothing about the picture: the outlet unreachable, slow, overloaded or failing. */
function isTransient(result: FetchResult): boolean {
  return result.kind === 'network' || result.kind === 'timeout' || (result.kind === 'http-error' && (result.status >= 500 || result.status === 429));
}

/** Upstream's max-age within our bounds; none (or no-cache) means the longest. */
function freshMs(maxAgeSeconds: number | null): number {
  if (maxAgeSeconds === null) return MAX_FRESH_MS;
  return Math.min(Math.max(maxAgeSeconds * 1000, MIN_FRESH_MS), MAX_FRESH_MS);
}

function refusalOf(result: Exclude<FetchResult, { kind: 'ok' }>): MediaOutcome {
  const refused = (code: MediaRefusal, message: string): MediaOutcome => ({ kind: 'refused', code, message: message.replace(/^fetch: /, '') });
  switch (result.kind) {
    case 'unwanted-type':
      return refused('media_not_image', result.message);
    case 'too-large':
      return refused('media_too_large', result.message);
    case 'timeout':
      return refused('media_timeout', result.message);
    case 'network':
      return refused('media_unreachable', result.message);
    case 'http-error':
      return refused('media_upstream_error', result.message);
    case 'not-modified':
      // Only when we sent no validators, i.e. a server answering 304 to a plain GET.
      return refused('media_upstream_error', `upstream answered 304 Not Modified to a request without validators`);
  }
}
