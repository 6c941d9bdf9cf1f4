// Text the pages show for times and links: relative and absolute times, and hrefs safe to render.

const absolute = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Wed 20 May 2026, 12:00 UTC": the page has no client script, so every absolute time is in UTC. */
export function absoluteTime(ms: number): string {
  return `${absolute.format(ms).replace(/^(\w+),? /, '$1 ')} UTC`;
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const clockTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "20 May": the UTC day of `ms`. */
export function dayAndMonth(ms: number): string {
  return dayMonth.format(ms);
}

/** "14:22": the UTC clock time of `ms`. */
export function hourMinute(ms: number): string {
  return clockTime.format(ms);
}

/** The absolute time as briefly as `now` allows: "14:22 UTC" today, "19 May, 08:00 UTC" this year, else "3 Jan 2025". */
export function shortTime(ms: number, now: number): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  if (day(ms) === day(now)) return `${hourMinute(ms)} UTC`;
  if (day(ms).slice(0, 4) === day(now).slice(0, 4)) return `${dayAndMonth(ms)}, ${hourMinute(ms)} UTC`;
  return dayMonthYear.format(ms);
}

const units: [limitMs: number, sizeMs: number, one: string, many: string][] = [
  [3_600_000, 60_000, 'min', 'min'],
  [86_400_000, 3_600_000, 'hour', 'hours'],
  [60 * 86_400_000, 86_400_000, 'day', 'days'],
  [730 * 86_400_000, 30 * 86_400_000, 'month', 'months'],
  [Infinity, 365 * 86_400_000, 'year', 'years'],
];

/** "3 hours ago", "in 5 min", "just now": the distance between `ms` and `now`. */
export function relativeTime(ms: number, now: number): string {
  const distance = Math.abs(now - ms);
  if (distance < 60_000) return 'just now';
  const [, size, one, many] = units.find(([limit]) => distance < limit)!;
  const n = Math.floor(distance / size);
  const text = `${n} ${n === 1 ? one : many}`;
  return ms <= now ? `${text} ago` : `in ${text}`;
}

/** "45 min", "2 h 5 min", "3 days 4 h": a duration as its two largest units (rounded down to the minute). */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) return hours ? `${days} ${days === 1 ? 'day' : 'days'} ${hours} h` : `${days} ${days === 1 ? 'day' : 'days'}`;
  if (hours) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

/** Text cut at a word boundary near `max` characters, with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–—-]+$/, '')}…`;
}
