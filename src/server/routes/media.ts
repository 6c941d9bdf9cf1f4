// GET/HEAD /media/{token}: the media proxy. Serves a stored entry's picture, fetched by storywire, so readers' browsers
// never contact the outlet; any other URL is refused before anything is fetched (this is never an open proxy).
import { Hono, type Context } from 'hono';
import { parseMediaToken } from '../../publish/images.ts';
import { publishedUrl } from '../../publish/links.ts';
import type { Config } from '../../config/index.ts';
import type { AppDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { MediaProxy, type MediaOutcome, type ProxiedImage } from '../media-proxy.ts';
import { etagMatches } from '../representation.ts';

/**
 * How long browsers and caches keep a picture: a week. The address names the outlet's URL, not the bytes, so an
 * outlet that changes a picture in place is seen after at most a week (not `immutable`); news pictures seldom change
 * under their URL, a week outlasts a story's life on the page, and revalidating after it costs a 304.
 */
export const MEDIA_MAX_AGE_SECONDS = 7 * 86_400;

/** Headers of every picture (and its 304): nothing in it may run, and nothing of the reader's page is passed on. */
const IMAGE_HEADERS = {
  'Cache-Control': `public, max-age=${MEDIA_MAX_AGE_SECONDS}`,
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** Routes of the media proxy; `proxy` keeps the cache (one per app). */
export function mediaRoutes(deps: AppDeps, proxy = new MediaProxy(deps.now)): Hono {
  const app = new Hono();
  app.get('/:token', async (c) => {
    const count = (outcome: string) => deps.metrics?.mediaRequests.inc({ outcome });
    const settings = deps.config().settings;
    if (!settings.mediaProxy) {
      count('off');
      return c.json(errorBody('not_found', 'the media proxy is off (settings.mediaProxy in feeds.json); pictures link the outlets directly'), 404);
    }
    const token = parseMediaToken(c.req.param('token'));
    if ('error' in token) {
      count('bad_token');
      return c.json(errorBody('invalid_parameter', `not a media address: ${token.error}`), 400);
    }
    if (!(await deps.store.hasEntryImage(token.url))) {
      count('not_found');
      return c.json(errorBody('not_found', "no stored entry has this picture; the media proxy serves entries' pictures only"), 404);
    }
    // Fetched in the form storywire publishes URLs: credentials dropped (fetch refuses them), odd characters encoded.
    const url = publishedUrl(token.url) ?? token.url;
    const outcome = await proxy.get(url, { timeoutMs: settings.timeoutMs, maxBytes: settings.mediaMaxBytes, userAgent: settings.userAgent, feedHosts: feedHosts(deps.config()) });
    if (outcome.kind === 'refused') {
      count(outcome.code);
      deps.log.info({ url, code: outcome.code, error: outcome.message }, 'media.refused');
      return c.json(errorBody(outcome.code, `${url}: ${outcome.message}`), outcome.code === 'media_timeout' ? 504 : 502);
    }
    count(outcome.source);
    return serveImage(c, outcome);
  });
  return app;
}

// The feeds' hosts, worked out once per loaded feeds.json rather than on every picture served.
const hostsByConfig = new WeakMap<Config, readonly string[]>();
function feedHosts(config: Config): readonly string[] {
  let hosts = hostsByConfig.get(config);
  if (!hosts) hostsByConfig.set(config, (hosts = config.sources.map((s) => new URL(s.url).hostname)));
  return hosts;
}

function serveImage(c: Context, { image }: Extract<MediaOutcome, { kind: 'image' }>): Response {
  const headers: Record<string, string> = { ...IMAGE_HEADERS, ETag: image.etag };
  const inm = c.req.header('if-none-match');
  if (inm !== undefined && etagMatches(inm, image.etag)) return new Response(null, { status: 304, headers });
  headers['Content-Type'] = image.contentType;
  headers['Content-Length'] = String(image.bytes.byteLength);
  return new Response(c.req.method === 'HEAD' ? null : body(image), { status: 200, headers });
}

function body(image: ProxiedImage): Uint8Array<ArrayBuffer> {
  return image.bytes as Uint8Array<ArrayBuffer>;
}
