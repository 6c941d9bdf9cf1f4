// Date parsing for feeds: RFC 822/2822, RFC 3339/ISO 8601, and the broken forms found in the wild.
// Everything without a zone is read as UTC so the result never depends on the machine's time zone.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/;
// Hours east of UTC. CST is US Central (RFC 822's meaning); IST is India, the common one in news feeds.
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0, bst: 1, west: 1, cet: 1, met: 1, cest: 2, mest: 2, eet: 2, eest: 3,
  msk: 3, ist: 5.5, wib: 7, sgt: 8, hkt: 8, pht: 8, awst: 8, jst: 9, kst: 9, acst: 9.5, aest: 10, aedt: 11,
  nzst: 12, nzdt: 13, hst: -10, akst: -9, akdt: -8, pst: -8, pdt: -7, mst: -7, mdt: -6, cst: -6, cdt: -5,
  est: -5, edt: -4, ast: -4, adt: -3, nst: -3.5, ndt: -2.5,
};
const ISO = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?|(\d{2})(\d{2}))?(?:(?:t|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?\s*(.*)$/;
const TIME = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?(am|pm)?$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetMinutes: number;
}

/** Milliseconds since the epoch for a feed date string, or null when it cannot be read. */
export function parseFeedDate(raw: string): number | null {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return null;
  const parts = /^\d{4}/.test(text) ? isoParts(text) : wordParts(text);
  return parts ? toEpoch(parts) : null;
}

function isoParts(text: string): Parts | null {
  const m = ISO.exec(text);
  if (!m) return wordParts(text);
  const offsetMinutes = m[9] === '' ? 0 : zoneOffset(m[9]);
  if (offsetMinutes === null) return null;
  return {
    year: Number(m[1]), month: Number(m[2] ?? m[4] ?? 1) - 1, day: Number(m[3] ?? m[5] ?? 1),
    hour: Number(m[6] ?? 0), minute: Number(m[7] ?? 0), second: Number(m[8] ?? 0), offsetMinutes,
  };
}

// RFC 822 and its relatives, read token by token so that order and punctuation can vary:
// "Mon, 20 May 2024 12:00:00 GMT", "monday may 20, 2024 3:00 pm edt", "20.05.2024 12:00 GMT+2", "20 May 24".
function wordParts(text: string): Parts | null {
  const tokens = text.replace(/[(),]/g, ' ').replace(/([a-z])\.(?=\s|$)/g, '$1').split(' ').filter(Boolean);
  const found: Partial<Parts> & { pm?: boolean; am?: boolean } = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    // "12:00 +0200" or "gmt + 2": a sign split from its number is joined back.
    if ((token === '+' || token === '-') && i + 1 < tokens.length) tokens[i + 1] = token + tokens[i + 1];
    else if (!readToken(token, found)) return null;
  }
  const { year, month, day } = found;
  if (year === undefined || month === undefined || day === undefined) return null;
  const hour = (found.hour ?? 0) % (found.pm || found.am ? 12 : 24) + (found.pm ? 12 : 0);
  return { year, month, day, hour, minute: found.minute ?? 0, second: found.second ?? 0, offsetMinutes: found.offsetMinutes ?? 0 };
}

function readToken(token: string, found: Partial<Parts> & { pm?: boolean; am?: boolean }): boolean {
  if (WEEKDAYS.test(token) || token === 'at' || token === 'on') return true;
  if (token === 'am' || token === 'pm') return Boolean((found[token] = true));
  const dotted = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec(token);
  if (dotted) return Boolean(Object.assign(found, { day: +dotted[1], month: +dotted[2] - 1, year: fullYear(dotted[3]) }));
  const time = TIME.exec(token);
  if (time) return readTime(time, found);
  const month = MONTHS.indexOf(token.slice(0, 3));
  if (/^[a-z]+$/.test(token) && month >= 0 && found.month === undefined) return Boolean((found.month = month) + 1);
  if (/^\d{1,2}$/.test(token) && found.day === undefined) return Boolean((found.day = Number(token)));
  if (/^\d{2}$|^\d{4}$/.test(token) && found.year === undefined) return Boolean((found.year = fullYear(token)));
  const offset = zoneOffset(token);
  if (offset === null || found.offsetMinutes !== undefined) return false;
  found.offsetMinutes = offset;
  return true;
}

function readTime(time: RegExpExecArray, found: Partial<Parts> & { pm?: boolean }): boolean {
  found.hour = Number(time[1]);
  found.minute = Number(time[2]);
  found.second = Number(time[3] ?? 0);
  if (time[4] === 'pm') found.pm = true;
  return true;
}

// RFC 2822: two-digit years 00-49 are 20xx, 50-99 are 19xx.
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

// "z", "+0200", "-05:00", "+2", "gmt+2", "utc-05:30", or a named zone; minutes east of UTC.
function zoneOffset(zone: string): number | null {
  const text = zone.trim().replace(/^\((.*)\)$/, '$1');
  if (text in ZONES) return ZONES[text] * 60;
  const m = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function toEpoch(p: Parts): number | null {
  if (p.year < 1000 || p.month < 0 || p.month > 11 || p.day < 1 || p.hour > 24 || p.minute > 59 || p.second > 60) return null;
  const utc = Date.UTC(p.year, p.month, p.day, p.hour, p.minute, Math.min(p.second, 59));
  // Date.UTC rolls 31 February over into March; such a date is invalid, not March.
  if (new Date(utc).getUTCDate() !== p.day && p.hour < 24) return null;
  return utc - p.offsetMinutes * 60_000;
}
