// Response headers every route shares: CORS for what browsers fetch from other origins, and nosniff everywhere.
import type { MiddlewareHandler } from 'hono';
import type { cors } from 'hono/cors';

/** CORS of the API and the feeds: any origin may read them; ETag is exposed so browser readers can revalidate. */
export const CORS: Parameters<typeof cors>[0] = { origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['ETag'] };

/** Sets `X-Content-Type-Options: nosniff` on every answer: pages, feeds, API, errors and 404s. */
export function noSniff(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  };
}
