import { describe, expect, it } from 'vitest';
import { backoffUntil, JITTER_FRACTION, MAX_BACKOFF_MS, MAX_JITTER_MS, MAX_POLL_INTERVAL_MS, nextPollAt } from '../../src/fetch/policy.ts';

const NOW = 1_700_000_000_000;
const MIN = 60_000;
const HOUR = 3_600_000;
const noJitter = () => 0;
const fullJitter = () => 0.999_999;

describe('policy constants', () => {
  it('caps at a day and jitters at most 10% / 5 min', () => {
    expect(MAX_POLL_INTERVAL_MS).toBe(24 * HOUR);
    expect(MAX_BACKOFF_MS).toBe(24 * HOUR);
    expect(JITTER_FRACTION).toBe(0.1);
    expect(MAX_JITTER_MS).toBe(5 * MIN);
  });
});

describe('nextPollAt', () => {
  const poll = (over: Partial<Parameters<typeof nextPollAt>[0]>) =>
    nextPollAt({ now: NOW, minIntervalMs: 15 * MIN, ttlSeconds: null, maxAgeSeconds: null, jitter: noJitter, ...over }) - NOW;

  it('uses the minimum interval when the feed gives no hint', () => {
    expect(poll({})).toBe(15 * MIN);
  });

  it('waits as long as the feed <ttl> asks when that is longer', () => {
    expect(poll({ ttlSeconds: 3600 })).toBe(HOUR);
  });

  it('waits as long as max-age asks when that is longer', () => {
    expect(poll({ maxAgeSeconds: 1800 })).toBe(30 * MIN);
  });

  it('takes the longest of interval, ttl and max-age', () => {
    expect(poll({ ttlSeconds: 1800, maxAgeSeconds: 7200 })).toBe(2 * HOUR);
    expect(poll({ ttlSeconds: 7200, maxAgeSeconds: 1800 })).toBe(2 * HOUR);
  });

  it('ignores hints shorter than the minimum interval, zero, negative or non-finite', () => {
    expect(poll({ ttlSeconds: 60, maxAgeSeconds: 0 })).toBe(15 * MIN);
    expect(poll({ ttlSeconds: -5, maxAgeSeconds: Number.NaN })).toBe(15 * MIN);
    expect(poll({ ttlSeconds: Number.POSITIVE_INFINITY })).toBe(15 * MIN);
  });

  it('treats hints above 24 h as 24 h', () => {
    expect(poll({ ttlSeconds: 7 * 24 * 3600 })).toBe(MAX_POLL_INTERVAL_MS);
    expect(poll({ maxAgeSeconds: 31_536_000 })).toBe(MAX_POLL_INTERVAL_MS);
  });

  it('keeps a configured minimum interval above 24 h', () => {
    expect(poll({ minIntervalMs: 48 * HOUR, ttlSeconds: 3600 })).toBe(48 * HOUR);
  });

  it('adds jitter up to 10% of a short interval', () => {
    expect(poll({ minIntervalMs: 10 * MIN, jitter: () => 0.5 })).toBe(10 * MIN + 30_000);
    expect(poll({ minIntervalMs: 10 * MIN, jitter: fullJitter })).toBe(10 * MIN + 59_999);
  });

  it('caps jitter at 5 minutes on long intervals', () => {
    expect(poll({ minIntervalMs: 6 * HOUR, jitter: fullJitter })).toBe(6 * HOUR + 5 * MIN - 1);
    expect(poll({ minIntervalMs: 6 * HOUR, jitter: () => 0.5 })).toBe(6 * HOUR + 150_000);
  });

  it('never polls early even if the jitter source misbehaves', () => {
    expect(poll({ jitter: () => -3 })).toBe(15 * MIN);
    expect(poll({ minIntervalMs: 10 * MIN, jitter: () => 7 })).toBe(10 * MIN + 60_000);
  });

  it('rejects a non-positive minimum interval as a bug', () => {
    expect(() => poll({ minIntervalMs: 0 })).toThrow(RangeError);
    expect(() => poll({ minIntervalMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('backoffUntil', () => {
  const backoff = (over: Partial<Parameters<typeof backoffUntil>[0]>) =>
    backoffUntil({ now: NOW, consecutiveFailures: 1, minIntervalMs: 15 * MIN, retryAfterMs: null, jitter: noJitter, ...over }) - NOW;

  it('doubles from the minimum interval with each consecutive failure', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoff({ consecutiveFailures: n }))).toEqual([15, 30, 60, 120, 240].map((m) => m * MIN));
  });

  it('treats zero failures like the first', () => {
    expect(backoff({ consecutiveFailures: 0 })).toBe(15 * MIN);
  });

  it('caps at 24 h, even after very many failures', () => {
    expect(backoff({ consecutiveFailures: 8 })).toBe(MAX_BACKOFF_MS); // 15 min × 128 = 32 h
    expect(backoff({ consecutiveFailures: 10_000 })).toBe(MAX_BACKOFF_MS);
  });

  it('honours a Retry-After longer than the backoff', () => {
    expect(backoff({ retryAfterMs: 2 * HOUR })).toBe(2 * HOUR);
  });

  it('keeps the backoff when Retry-After is shorter', () => {
    expect(backoff({ consecutiveFailures: 3, retryAfterMs: 5 * MIN })).toBe(60 * MIN);
    expect(backoff({ retryAfterMs: 0 })).toBe(15 * MIN);
  });

  it('caps Retry-After at 24 h', () => {
    expect(backoff({ retryAfterMs: 30 * 24 * HOUR })).toBe(MAX_BACKOFF_MS);
  });

  it('never retries sooner than the minimum interval, even one above the cap', () => {
    expect(backoff({ minIntervalMs: 48 * HOUR, consecutiveFailures: 3, retryAfterMs: HOUR })).toBe(48 * HOUR);
  });

  it('adds jitter up to 10% of the delay, at most 5 minutes', () => {
    expect(backoff({ jitter: () => 0.5 })).toBe(15 * MIN + 45_000);
    expect(backoff({ consecutiveFailures: 5, jitter: fullJitter })).toBe(240 * MIN + 5 * MIN - 1);
  });

  it('rejects a non-positive minimum interval as a bug', () => {
    expect(() => backoff({ minIntervalMs: -1 })).toThrow(RangeError);
  });
});
