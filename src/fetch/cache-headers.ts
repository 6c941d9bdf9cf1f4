// Reads the caching hints a feed server sends: how long the body stays fresh, and when to retry.

/** Parses an HTTP-date (all three RFC 9110 forms start with a day name); null when it is not one. */
export function parseHttpDate(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  // Date.parse alone accepts "120" or "1.5" as dates, so insist on the leading day name.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return null;
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? null : time;
}

/**
 * Freshness lifetime in seconds: s-maxage, else max-age, else Expires minus Date;
 * null when absent or when the server says not to cache at all (no-cache / no-store).
 */
export function parseMaxAgeSeconds(headers: Headers, now: number): number | null {
  const directives = parseCacheControl(headers.get('cache-control'));
  if (directives.has('no-cache') || directives.has('no-store')) return null;
  const fromDirective = seconds(directives.get('s-maxage')) ?? seconds(directives.get('max-age'));
  if (fromDirective !== null) return fromDirective;
  return expiresSeconds(headers, now);
}

/**
 * Retry-After in milliseconds from now (delta-seconds or HTTP-date); null when absent or malformed.
 * A date is measured against the response's own Date header when there is one, to cancel clock skew.
 */
export function parseRetryAfterMs(headers: Headers, now: number): number | null {
  const raw = headers.get('retry-after')?.trim() ?? null;
  if (raw === null || raw === '') return null;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = parseHttpDate(raw);
  if (at === null) return null;
  const reference = parseHttpDate(headers.get('date')) ?? now;
  return Math.max(0, at - reference);
}

/** Directive name (lowercased) → value (unquoted; '' when the directive has none). */
function parseCacheControl(value: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (value ?? '').split(',')) {
    const [name = '', ...rest] = part.split('=');
    const key = name.trim().toLowerCase();
    if (key !== '') directives.set(key, rest.join('=').trim().replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

function seconds(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function expiresSeconds(headers: Headers, now: number): number | null {
  const raw = headers.get('expires');
  if (raw === null) return null;
  const expires = parseHttpDate(raw);
  // RFC 9111 §5.3: an invalid Expires (often "0" or "-1") means "already expired".
  if (expires === null) return 0;
  const reference = parseHttpDate(headers.get('date')) ?? now;
  return Math.max(0, Math.floor((expires - reference) / 1000));
}
