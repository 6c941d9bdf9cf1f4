// When to poll a source next: after success (nextPollAt) and after failure (backoffUntil). Pure: time and randomness are injected.

const HOUR_MS = 3_600_000;

/** Longest a feed's own <ttl> or Cache-Control max-age may push the next poll out. */
export const MAX_POLL_INTERVAL_MS = 24 * HOUR_MS;
/** Longest exponential backoff (and longest Retry-After we honour) after failures. */
export const MAX_BACKOFF_MS = 24 * HOUR_MS;
/** Jitter is at most this fraction of the interval... */
export const JITTER_FRACTION = 0.1;
/** ...and never more than this, so a daily source is not pushed out by hours. */
export const MAX_JITTER_MS = 5 * 60_000;

// 2^40 ms is decades, far past the cap, so a larger exponent cannot change the result (and cannot overflow to NaN).
const MAX_EXPONENT = 40;

/** Inputs of nextPollAt. `jitter` returns a number in [0, 1), like Math.random. */
export interface NextPollInput {
  now: number;
  minIntervalMs: number;
  ttlSeconds: number | null;
  maxAgeSeconds: number | null;
  jitter: () => number;
}

/** Inputs of backoffUntil; `consecutiveFailures` counts the failure just recorded (1 after the first). */
export interface BackoffInput {
  now: number;
  consecutiveFailures: number;
  minIntervalMs: number;
  retryAfterMs: number | null;
  jitter: () => number;
}

/** Next poll after a success: the longest of the source's minimum interval, the feed's <ttl> and max-age (each capped at 24 h), plus jitter. */
export function nextPollAt(input: NextPollInput): number {
  assertInterval(input.minIntervalMs);
  const asked = Math.max(hintMs(input.ttlSeconds), hintMs(input.maxAgeSeconds));
  const interval = Math.max(input.minIntervalMs, asked);
  return input.now + interval + jitterMs(interval, input.jitter);
}

/** Next attempt after a failure: minimum interval × 2^(failures−1), or a longer Retry-After, capped at 24 h but never under the minimum interval; plus jitter. */
export function backoffUntil(input: BackoffInput): number {
  assertInterval(input.minIntervalMs);
  const exponent = Math.min(Math.max(input.consecutiveFailures, 1) - 1, MAX_EXPONENT);
  const exponential = input.minIntervalMs * 2 ** exponent;
  const retryAfter = input.retryAfterMs !== null && input.retryAfterMs > 0 ? input.retryAfterMs : 0;
  const delay = Math.max(input.minIntervalMs, Math.min(Math.max(exponential, retryAfter), MAX_BACKOFF_MS));
  return input.now + delay + jitterMs(delay, input.jitter);
}

/** A feed's own hint in ms, capped at a day; 0 (no effect) when absent or nonsensical. */
function hintMs(seconds: number | null): number {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(seconds * 1000, MAX_POLL_INTERVAL_MS);
}

/** Up to 10% of the interval, at most 5 min; only ever added, so no poll comes early. */
function jitterMs(intervalMs: number, jitter: () => number): number {
  const fraction = Math.min(Math.max(jitter(), 0), 1);
  return Math.floor(fraction * Math.min(intervalMs * JITTER_FRACTION, MAX_JITTER_MS));
}

// A bad interval is a bug upstream (config validates it); scheduling on it would poll in a tight loop.
function assertInterval(minIntervalMs: number): void {
  if (!Number.isFinite(minIntervalMs) || minIntervalMs <= 0) {
    throw new RangeError(`policy: minIntervalMs must be a positive number, got ${minIntervalMs}`);
  }
}
