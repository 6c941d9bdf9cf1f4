import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseMaxAgeSeconds, parseRetryAfterMs } from '../../src/fetch/cache-headers.ts';

const NOW = Date.UTC(2025, 3, 1, 12, 0, 0);
const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toUTCString();

describe('parseMaxAgeSeconds', () => {
  it.each([
    [{ 'cache-control': 'max-age=300' }, 300],
    [{ 'cache-control': 'public, MAX-AGE=300, must-revalidate' }, 300],
    [{ 'cache-control': 'max-age="120"' }, 120],
    [{ 'cache-control': 'max-age=300, s-maxage=900' }, 900],
    [{ 'cache-control': 's-maxage=60, max-age=300' }, 60],
    [{ 'cache-control': 'max-age=0' }, 0],
    [{ 'cache-control': 'no-cache, max-age=300' }, null],
    [{ 'cache-control': 'max-age=300, no-store' }, null],
    [{ 'cache-control': 'no-store', expires: at(600) }, null],
    [{ 'cache-control': 'max-age=abc', expires: at(600), date: at(0) }, 600],
    [{ expires: at(600), date: at(0) }, 600],
    [{ expires: at(-600), date: at(0) }, 0],
    [{ expires: '0' }, 0],
    [{ 'cache-control': 'public' }, null],
    [{}, null],
  ])('%o → %s', (headers, expected) => {
    expect(parseMaxAgeSeconds(new Headers(headers), NOW)).toBe(expected);
  });

  it('measures Expires against the server Date, not our clock', () => {
    // Server clock is an hour behind ours; the lifetime it means is still 10 minutes.
    const headers = new Headers({ date: at(-3600), expires: at(-3000) });
    expect(parseMaxAgeSeconds(headers, NOW)).toBe(600);
  });

  it('falls back to now when Date is missing', () => {
    expect(parseMaxAgeSeconds(new Headers({ expires: at(120) }), NOW)).toBe(120);
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    [{ 'retry-after': '120' }, 120_000],
    [{ 'retry-after': ' 0 ' }, 0],
    [{ 'retry-after': at(90) }, 90_000],
    [{ 'retry-after': at(-90) }, 0],
    [{ 'retry-after': 'Tuesday, 01-Apr-25 12:05:00 GMT' }, 300_000],
    [{ 'retry-after': 'Tue Apr  1 12:05:00 2025' }, 300_000],
    [{ 'retry-after': '-5' }, null],
    [{ 'retry-after': '1.5' }, null],
    [{ 'retry-after': 'later' }, null],
    [{ 'retry-after': '' }, null],
    [{}, null],
  ])('%o → %s', (headers, expected) => {
    expect(parseRetryAfterMs(new Headers(headers), NOW)).toBe(expected);
  });

  it('measures an HTTP-date against the server Date when present', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': at(-3540), date: at(-3600) }), NOW)).toBe(60_000);
  });
});

describe('parseHttpDate', () => {
  it('rejects numbers that Date.parse would take for years', () => {
    expect(parseHttpDate('120')).toBeNull();
    expect(parseHttpDate('2025-04-01T12:00:00Z')).toBeNull();
    expect(parseHttpDate('Tue, 01 Apr 2025 12:00:00 GMT')).toBe(NOW);
  });
});
