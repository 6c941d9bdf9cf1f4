import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../src/normalize/dates.ts';

const iso = (raw: string) => {
  const time = parseFeedDate(raw);
  return time === null ? null : new Date(time).toISOString();
};

describe('parseFeedDate', () => {
  it.each([
    ['Mon, 20 May 2024 12:00:00 GMT', '2024-05-20T12:00:00.000Z'],
    ['Mon, 20 May 2024 12:00:00 +0200', '2024-05-20T10:00:00.000Z'],
    ['20 May 2024 12:00 -05:00', '2024-05-20T17:00:00.000Z'],
    ['2024-05-20T12:00:00Z', '2024-05-20T12:00:00.000Z'],
    ['2024-05-20T12:00:00.123+02:00', '2024-05-20T10:00:00.000Z'],
    ['20240520T120000Z', '2024-05-20T12:00:00.000Z'],
    ['2024-05-20', '2024-05-20T00:00:00.000Z'],
  ])('reads the standard form %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each([
    ['2024-05-20 12:00:00', '2024-05-20T12:00:00.000Z', 'space instead of T, no zone (UTC)'],
    ['Mon, 20 May 2024 12:00:00', '2024-05-20T12:00:00.000Z', 'RFC 822 without zone (UTC)'],
    ['Mon, 20 May 2024 12:00:00 GMT+2', '2024-05-20T10:00:00.000Z', 'GMT+2'],
    ['Mon, 20 May 2024 12:00:00 UTC-05:30', '2024-05-20T17:30:00.000Z', 'UTC-05:30'],
    ['20 May 24 12:00 EST', '2024-05-20T17:00:00.000Z', 'two-digit year and EST'],
    ['Sat, 01 Jan 99 00:00:00 GMT', '1999-01-01T00:00:00.000Z', 'two-digit year in the 1900s'],
    ['mon, 20 may 2024 12:00:00 pdt', '2024-05-20T19:00:00.000Z', 'lowercase names, PDT'],
    ['Mon, 20 May 2024 12:00 CEST', '2024-05-20T10:00:00.000Z', 'CEST'],
    ['Mon., 20 May. 2024 12:00:00 GMT', '2024-05-20T12:00:00.000Z', 'dotted abbreviations'],
    ['  Mon,   20  May 2024\n 12:00:00   GMT ', '2024-05-20T12:00:00.000Z', 'extra whitespace'],
    ['20.05.2024 12:00', '2024-05-20T12:00:00.000Z', 'dotted day.month.year'],
    ['Monday, May 20, 2024 3:00 PM EDT', '2024-05-20T19:00:00.000Z', 'month first, 12-hour clock'],
    ['Wed, 22 May 2024 12:00:00 (PST)', '2024-05-22T20:00:00.000Z', 'zone in parentheses'],
  ])('reads the broken form %s (%s)', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it('rejects text that is not a date, and impossible dates', () => {
    expect(parseFeedDate('')).toBeNull();
    expect(parseFeedDate('yesterday')).toBeNull();
    expect(parseFeedDate('Tue, 31 Feb 2024 12:00 GMT')).toBeNull();
    expect(parseFeedDate('2024-13-01')).toBeNull();
    expect(parseFeedDate('Mon, 20 May 2024 12:00:00 XYZ')).toBeNull();
  });
});
