// Answers of read-only API routes kept in memory until the data changes (a poll that changed stories, a config reload).
import type { MiddlewareHandler } from 'hono';

interface CachedAnswer {
  status: number;
  body: string;
  contentType: string;
}

/** A bounded cache of GET answers keyed by URL; `clear` whenever what they show may have changed. */
export class ResponseCache {
  private readonly answers = new Map<string, CachedAnswer>();

  constructor(private readonly maxEntries = 512) {}

  /** Middleware serving cached 200 answers and remembering new ones. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (c.req.method !== 'GET') return next();
      const key = c.req.url;
      const hit = this.answers.get(key);
      if (hit) return new Response(hit.body, { status: hit.status, headers: { 'Content-Type': hit.contentType } });
      await next();
      if (c.res.status !== 200) return;
      const body = await c.res.clone().text();
      this.answers.set(key, { status: 200, body, contentType: c.res.headers.get('content-type') ?? 'application/json' });
      if (this.answers.size > this.maxEntries) this.answers.delete(this.answers.keys().next().value!);
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
}
