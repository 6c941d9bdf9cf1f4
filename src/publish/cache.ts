// Rendered feed bodies, compressed once, keyed by feed, format and base URL, in a cache bounded by bytes.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';

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

/**
 * Budget of rendered feeds kept in memory, in bytes (each feed counts its identity, gzip and br bodies). A 50-item
 * feed is about 100 KB in its three encodings, so 32 MiB holds every format of ~100 feeds at a few base URLs.
 * Base URLs follow the request's origin when settings.publicUrl is unset, so the budget, not the count, bounds it.
 */
export const FEED_CACHE_BYTES = 32 * 1024 * 1024;

/** Rendered feeds by key ("slug\nformat\nbaseUrl"), least recently used first out when over `maxBytes`. */
export type FeedCache = LRUCache<string, RenderedFeed>;

/** A feed cache bounded by bytes. */
export function createFeedCache(maxBytes = FEED_CACHE_BYTES): FeedCache {
  return new LRUCache<string, RenderedFeed>({
    maxSize: maxBytes,
    sizeCalculation: (feed, key) => feed.body.length + feed.gzip.length + feed.br.length + key.length + 256,
  });
}
