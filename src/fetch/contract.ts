// The fetch stage's public types: what the pipeline asks for and every outcome it can get back.
import type { Dispatcher } from 'undici';

/** What to fetch, with the validators stored from the last successful poll. */
export interface FetchRequest {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/** Limits and identity for one fetch. */
export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  /** Hops followed before giving up; default 5. */
  maxRedirects?: number;
  /** The Accept header; by default the feed formats (request-headers.ts). */
  accept?: string;
  /**
   * Checked on the final 2xx response before its body is read: a message refuses it (result kind 'unwanted-type')
   * and the body is never downloaded. The media proxy uses it to take images only.
   */
  refuseContentType?: (contentType: string | null) => string | null;
  /** The undici dispatcher the requests go through (the media proxy's refuses internal addresses; address-guard.ts). */
  dispatcher?: Dispatcher;
}

/** Bytes of the feed (already decompressed) and the caching facts that came with them. */
export interface FetchOk {
  kind: 'ok';
  status: number;
  body: Uint8Array;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  finalUrl: string;
  permanentRedirect: string | null;
  maxAgeSeconds: number | null;
  ms: number;
}

/** The server confirmed the stored validators: nothing changed. */
export interface FetchNotModified {
  kind: 'not-modified';
  etag: string | null;
  lastModified: string | null;
  finalUrl: string;
  permanentRedirect: string | null;
  maxAgeSeconds: number | null;
  ms: number;
}

/** The server answered with a status we cannot use (≥ 400, or a redirect we refused to follow). */
export interface FetchHttpError {
  kind: 'http-error';
  status: number;
  message: string;
  retryAfterMs: number | null;
  permanentRedirect: string | null;
  ms: number;
}

/** No usable answer: the deadline passed, the body was over the limit, the type was refused, or the transport failed. */
export interface FetchFailure {
  kind: 'timeout' | 'too-large' | 'unwanted-type' | 'network';
  message: string;
  permanentRedirect: string | null;
  ms: number;
}

/** Every outcome of `fetchFeed`; expected failures are values, never exceptions. */
export type FetchResult = FetchOk | FetchNotModified | FetchHttpError | FetchFailure;
