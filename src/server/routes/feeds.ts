// GET/HEAD /feeds/{slug}.rss|.atom|.json: cached bodies with strong validators, 304s and pre-compressed encodings.
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { CORS } from '../headers.ts';
import type { RenderedFeed } from '../../publish/cache.ts';
import type { FeedPublisher } from '../../publish/publisher.ts';
import type { PublishedFormat } from '../../publish/types.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError, feedSlugs } from '../errors.ts';
import { chooseEncoding, encodedEtag, etagMatches } from '../representation.ts';

const FEED_FILE = '/:file{[a-z0-9]+(?:-[a-z0-9]+)*\\.(?:rss|atom|json)}';

/** Routes serving the published feeds. */
export function feedRoutes(deps: AppDeps & { publisher: FeedPublisher }): Hono {
  const app = new Hono();
  // Browser-based readers fetch feeds from other origins.
  app.use(FEED_FILE, cors(CORS));
  app.get(FEED_FILE, async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const slug = file.slice(0, dot);
    const format = file.slice(dot + 1) as PublishedFormat;
    const config = deps.config();
    const feed = await deps.publisher.get(slug, format, config.settings.publicUrl ?? new URL(c.req.url).origin);
    if (!feed) throw new ApiError(404, 'not_found', `no feed "${slug}"; feeds: ${feedSlugs(config)}, each at /feeds/<slug>.rss, .atom and .json`);
    return serveFeed(c, feed, config.settings.cacheMaxAgeSeconds);
  });
  return app;
}

function serveFeed(c: Context, feed: RenderedFeed, maxAge: number): Response {
  const encoding = chooseEncoding(c.req.header('accept-encoding') ?? '');
  const headers: Record<string, string> = {
    // Each encoding is a different body, so it has its own strong ETag; If-None-Match matches any of them.
    ETag: encodedEtag(feed.etag, encoding),
    'Cache-Control': `public, max-age=${maxAge}`,
    Vary: 'Accept-Encoding',
    'Content-Type': feed.contentType,
  };
  if (feed.lastModified !== null) headers['Last-Modified'] = new Date(feed.lastModified).toUTCString();
  if (notModified(c, feed)) return new Response(null, { status: 304, headers });
  const body = encoding === 'br' ? feed.br : encoding === 'gzip' ? feed.gzip : feed.body;
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.length);
  return new Response(c.req.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
}

// If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
function notModified(c: Context, feed: RenderedFeed): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) return etagMatches(inm, feed.etag);
  const ims = c.req.header('if-modified-since');
  if (ims === undefined || feed.lastModified === null) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(feed.lastModified / 1000) * 1000 <= since;
}
