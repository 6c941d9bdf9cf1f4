// The headers every feed request carries.
import type { FetchOptions, FetchRequest } from './contract.ts';

/** Feed formats first; generic XML/JSON next; anything last, because many servers mislabel feeds. */
export const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

/** Encodings Node's fetch decodes for us (verified in tests/fetch/compression.test.ts). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Builds the request headers, sending the stored validators exactly as the server gave them. No cookie or Referer is ever sent. */
export function buildRequestHeaders(req: FetchRequest, opts: FetchOptions): Headers {
  const headers = new Headers({
    'User-Agent': opts.userAgent,
    Accept: opts.accept ?? ACCEPT,
    'Accept-Encoding': ACCEPT_ENCODING,
  });
  if (req.etag !== null) headers.set('If-None-Match', req.etag);
  if (req.lastModified !== null) headers.set('If-Modified-Since', req.lastModified);
  return headers;
}
