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

// The instants RFC 3339 can write: years 0000 to 9999.
const MIN_WRITABLE_MS = Date.parse('0000-01-01T00:00:00Z');

/**
 * The one way storywire writes a time (Atom, JSON Feed, the API, pages' datetime): RFC 3339 in UTC, whole seconds
 * ("2026-05-20T12:00:00Z"). A time no RFC 3339 string can hold (not finite, outside years 0-9999) is the fallback time;
 * renderers pass times through safeTime first, since readers also reject implausible ones.
 */
export function rfc3339(ms: number): string {
  const t = Number.isFinite(ms) && ms >= MIN_WRITABLE_MS && ms <= MAX_MS ? ms : FALLBACK_TIME;
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** RFC 822 as RSS 2.0 writes it ("Wed, 20 May 2026 12:00:00 GMT"). */
export function rfc822(ms: number): string {
  return new Date(safeTime(ms)).toUTCString();
}
