// The fetch stage: conditional GET with limits, returning a result value that names every expected failure.
export type {
  FetchRequest,
  FetchOptions,
  FetchResult,
  FetchOk,
  FetchNotModified,
  FetchHttpError,
  FetchFailure,
} from './contract.ts';
export { fetchFeed } from './fetcher.ts';
export { parseMaxAgeSeconds, parseRetryAfterMs } from './cache-headers.ts';
export {
  nextPollAt,
  backoffUntil,
  MAX_POLL_INTERVAL_MS,
  MAX_BACKOFF_MS,
  MAX_JITTER_MS,
  JITTER_FRACTION,
} from './policy.ts';
