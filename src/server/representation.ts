// Content negotiation and validators shared by feeds and the API: one strong ETag per encoding, 304s, gzip/br.
//
// hono/compress is not used: it compresses after hono/etag has hashed the identity body (so it has to weaken the
// ETag to W/), knows no br, and compresses again on every request. Here a compressed body gets its own strong
// ETag (the identity ETag with a suffix), If-None-Match matches any encoding of the same content, and compressed
// bodies are kept by content hash, so a popular answer is compressed once.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { contentEtag } from '../publish/cache.ts';

/** The encodings served besides identity. */
export type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts among br and gzip, or null for identity. */
export function chooseEncoding(acceptEncoding: string): Encoding | null {
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

/** The ETag of one encoding of a body: `"<tag>"` for identity, `"<tag>.br"` / `"<tag>.gzip"` otherwise. */
export function encodedEtag(etag: string, encoding: Encoding | null): string {
  return encoding ? etag.replace(/"$/, `.${encoding}"`) : etag;
}

/** Whether an If-None-Match header names the content of `etag` in any encoding (or `*`). */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || tag.replace(/\.(?:br|gzip)"$/, '"') === etag;
  });
}

/** Adds Accept-Encoding to a Vary header value. */
export function varyOnEncoding(vary: string | null): string {
  if (!vary) return 'Accept-Encoding';
  return vary === '*' || /(^|,)\s*accept-encoding\s*(,|$)/i.test(vary) ? vary : `${vary}, Accept-Encoding`;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Compresses a body as the feeds are (gzip level 6, brotli quality 5). */
export function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipAsync(body, { level: 6 });
}

/** Budget of compressed API answers kept in memory, by content hash (they never go stale). */
export const COMPRESSED_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Middleware for JSON answers: a strong ETag from the body, 304 for a matching If-None-Match, and gzip/br for
 * bodies of at least `threshold` bytes, each encoding with its own ETag. Only 200 answers to GET/HEAD are touched.
 */
export function negotiate(options: { threshold?: number; maxBytes?: number } = {}): MiddlewareHandler {
  const threshold = options.threshold ?? 1024;
  const compressed = new LRUCache<string, Buffer>({ maxSize: options.maxBytes ?? COMPRESSED_CACHE_BYTES, sizeCalculation: (b) => b.length + 64 });
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || c.res.status !== 200 || c.res.headers.has('Content-Encoding')) return;
    const body = Buffer.from(await c.res.arrayBuffer());
    const etag = c.res.headers.get('ETag') ?? contentEtag(body);
    const encoding = body.length >= threshold ? chooseEncoding(c.req.header('Accept-Encoding') ?? '') : null;
    const headers = new Headers(c.res.headers);
    headers.set('Vary', varyOnEncoding(headers.get('Vary')));
    headers.set('ETag', encodedEtag(etag, encoding));
    let out: Buffer | null = body;
    let status = 200;
    if (etagMatches(c.req.header('If-None-Match') ?? '', etag)) {
      status = 304;
      out = null;
      headers.delete('Content-Length');
    } else if (encoding) {
      const key = `${etag}\n${encoding}`;
      out = compressed.get(key) ?? null;
      if (!out) compressed.set(key, (out = await compress(body, encoding)));
      headers.set('Content-Encoding', encoding);
    }
    if (out) headers.set('Content-Length', String(out.length));
    replaceResponse(c, new Response(method === 'HEAD' || !out ? null : (out as Uint8Array<ArrayBuffer>), { status, headers }));
  };
}

/** Sets c.res to exactly this response (Hono's setter would copy the old response's headers over the new ones). */
export function replaceResponse(c: Context, res: Response): void {
  c.res = undefined as unknown as Response;
  c.res = res;
}
