// Seeded synthetic news: headlines and RSS documents for benchmarks (no real outlet's text).

const PEOPLE = ['Minister Aldren', 'President Okafor', 'Chancellor Veit', 'Premier Santos', 'General Marlow', 'Envoy Tanaka', 'Senator Ruiz', 'Mayor Lindqvist'];
const PLACES = ['Norvania', 'Eastmark', 'Caldera', 'Port Sabel', 'Ostrava Valley', 'the Teal Coast', 'Kirovets', 'Westhaven', 'Amberly', 'Solano'];
const VERBS = ['calls for talks with', 'rejects offer from', 'signs accord with', 'warns', 'meets', 'sanctions', 'visits', 'criticises'];
const TOPICS = ['ceasefire', 'grain exports', 'border dispute', 'election results', 'energy prices', 'refugee crisis', 'trade deal', 'drone strikes', 'peace summit', 'aid convoy'];

/** A deterministic pseudo-random generator (LCG) in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

const pick = <T>(rand: () => number, list: T[]): T => list[Math.floor(rand() * list.length)];

/** A headline and lede about a random event. */
export function headline(rand: () => number, n: number): { title: string; summary: string } {
  const who = pick(rand, PEOPLE);
  const where = pick(rand, PLACES);
  const topic = pick(rand, TOPICS);
  return {
    title: `${who} ${pick(rand, VERBS)} ${where} over ${topic} (${n})`,
    summary: `${who} said on ${['Monday', 'Tuesday', 'Friday'][n % 3]} that the ${topic} in ${where} needed urgent attention, as officials met for the ${n}th time.`,
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 document of `count` items for source number `source`. */
export function rssDocument(source: number, count: number, baseTime: number): string {
  const rand = seeded(source + 1);
  const items = Array.from({ length: count }, (_, i) => {
    const { title, summary } = headline(rand, source * 1000 + i);
    const date = new Date(baseTime - (source * 7 + i) * 60_000).toUTCString();
    const link = `https://outlet${source}.example/news/${i}?utm_source=rss`;
    return `<item><title>${xml(title)}</title><link>${xml(link)}</link><guid>${xml(link)}</guid><pubDate>${date}</pubDate><description>${xml(`<p>${summary}</p>`)}</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet ${source}</title><link>https://outlet${source}.example/</link><description>Synthetic</description>${items.join('')}</channel></rss>`;
}
