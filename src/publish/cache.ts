// Rendered feed bodies, compressed once, keyed by feed, format and base URL.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A rendered feed ready to serve: the body in each encoding, its validators and media type. */
export interface RenderedFeed {
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong ETag of the identity body, quoted. */
  etag: string;
  /** The newest item's change (ms), null for an empty feed. */
  lastModified: number | null;
  contentType: string;
}

/** A strong ETag naming a body's content, quoted: the same bytes always get the same tag. */
export function contentEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Packs a rendered document: hashes it and compresses it once for every later request. */
export function packFeed(text: string, contentType: string, lastModified: number | null): RenderedFeed {
  const body = Buffer.from(text, 'utf8');
  return {
    body,
    gzip: gzipSync(body, { level: 6 }),
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    etag: contentEtag(body),
    lastModified,
    contentType,
  };
}

/** A small map of rendered feeds; the oldest key goes first when it is full (base URLs vary by request origin). */
export class FeedCache {
  private readonly feeds = new Map<string, RenderedFeed>();

  constructor(private readonly maxEntries = 256) {}

  /** The cached feed for a key. */
  get(key: string): RenderedFeed | undefined {
    return this.feeds.get(key);
  }

  /** Stores a feed under a key. */
  set(key: string, feed: RenderedFeed): void {
    this.feeds.delete(key);
    this.feeds.set(key, feed);
    if (this.feeds.size > this.maxEntries) this.feeds.delete(this.feeds.keys().next().value!);
  }

  /** The cached keys and feeds, oldest first. */
  entries(): [string, RenderedFeed][] {
    return [...this.feeds.entries()];
  }

  /** Forgets every feed. */
  clear(): void {
    this.feeds.clear();
  }
}
