// Answers of read-only API routes kept in memory until the data changes (a poll that changed stories, a config reload).
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';

interface CachedAnswer {
  body: string;
  contentType: string;
}

/**
 * Budget of cached API answers, in bytes. A page of 20 stories with their entries is 10-60 KB, so 16 MiB keeps
 * several hundred distinct queries between two polls; the least recently used goes first.
 */
export const RESPONSE_CACHE_BYTES = 16 * 1024 * 1024;

/** A cache of GET answers keyed by URL, bounded by bytes; `clear` whenever what they show may have changed. */
export class ResponseCache {
  private readonly answers: LRUCache<string, CachedAnswer>;

  constructor(maxBytes = RESPONSE_CACHE_BYTES) {
    this.answers = new LRUCache<string, CachedAnswer>({
      maxSize: maxBytes,
      sizeCalculation: (answer, key) => Buffer.byteLength(answer.body) + key.length + 128,
    });
  }

  /** Middleware serving cached 200 answers and remembering new ones. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (c.req.method !== 'GET') return next();
      const key = c.req.url;
      const hit = this.answers.get(key);
      if (hit) return new Response(hit.body, { status: 200, headers: { 'Content-Type': hit.contentType } });
      await next();
      if (c.res.status !== 200) return;
      const body = await c.res.clone().text();
      this.answers.set(key, { body, contentType: c.res.headers.get('content-type') ?? 'application/json' });
    };
  }

  /** Forgets every answer. */
  clear(): void {
    this.answers.clear();
  }

  /** Number of cached answers. */
  get size(): number {
    return this.answers.size;
  }

  /** Bytes the cached answers count for. */
  get bytes(): number {
    return this.answers.calculatedSize;
  }
}
