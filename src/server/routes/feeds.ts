// GET/HEAD /feeds/{slug}.rss|.atom|.json: cached bodies with strong validators, 304s and pre-compressed encodings.
import { Hono, type Context } from 'hono';
import type { RenderedFeed } from '../../publish/cache.ts';
import type { FeedFormat, FeedPublisher } from '../../publish/publisher.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError, feedSlugs } from '../errors.ts';

/** Routes serving the published feeds. */
export function feedRoutes(deps: AppDeps & { publisher: FeedPublisher }): Hono {
  const app = new Hono();
  app.get('/:file{[a-z0-9]+(?:-[a-z0-9]+)*\\.(?:rss|atom|json)}', (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const slug = file.slice(0, dot);
    const format = file.slice(dot + 1) as FeedFormat;
    const config = deps.config();
    const feed = deps.publisher.get(slug, format, config.settings.publicUrl ?? new URL(c.req.url).origin);
    if (!feed) throw new ApiError(404, 'not_found', `no feed "${slug}"; feeds: ${feedSlugs(config)}, each at /feeds/<slug>.rss, .atom and .json`);
    return serveFeed(c, feed, config.settings.cacheMaxAgeSeconds);
  });
  return app;
}

function serveFeed(c: Context, feed: RenderedFeed, maxAge: number): Response {
  const headers: Record<string, string> = {
    ETag: feed.etag,
    'Cache-Control': `public, max-age=${maxAge}`,
    Vary: 'Accept-Encoding',
    'Content-Type': feed.contentType,
  };
  if (feed.lastModified !== null) headers['Last-Modified'] = new Date(feed.lastModified).toUTCString();
  if (notModified(c, feed)) return new Response(null, { status: 304, headers });
  const encoding = chooseEncoding(c.req.header('accept-encoding') ?? '');
  const body = encoding === 'br' ? feed.br : encoding === 'gzip' ? feed.gzip : feed.body;
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.length);
  return new Response(c.req.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
}

// If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
function notModified(c: Context, feed: RenderedFeed): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) return inm.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === feed.etag);
  const ims = c.req.header('if-modified-since');
  if (ims === undefined || feed.lastModified === null) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(feed.lastModified / 1000) * 1000 <= since;
}

/** The best encoding the client accepts among br and gzip, or null for identity. */
export function chooseEncoding(acceptEncoding: string): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const quality = (name: string) => accepted.get(name) ?? (accepted.has('*') ? accepted.get('*')! : 0);
  if (quality('br') > 0 && quality('br') >= quality('gzip')) return 'br';
  if (quality('gzip') > 0) return 'gzip';
  return null;
}
