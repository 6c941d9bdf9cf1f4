// Date formatting that never throws and never prints "Invalid Date": a bad time falls back to a fixed value.

/** The fixed time written when there is none to report (an empty Atom feed's <updated>); never "now", so renders stay pure. */
export const FALLBACK_TIME = Date.UTC(2000, 0, 1);

// Validators call anything before 1990 implausible (broken feeds send the epoch); past 9999 cannot be written.
const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The time itself when it is a plausible, writable instant, else the fallback. */
export function safeTime(ms: number, fallback = FALLBACK_TIME): number {
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? Math.floor(ms) : fallback;
}

/** RFC 3339 in UTC without milliseconds (Atom, JSON Feed). */
export function rfc3339(ms: number): string {
  return new Date(safeTime(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 822 as RSS 2.0 writes it ("Wed, 20 May 2026 12:00:00 GMT"). */
export function rfc822(ms: number): string {
  return new Date(safeTime(ms)).toUTCString();
}
