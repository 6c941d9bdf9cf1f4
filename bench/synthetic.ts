// Seeded synthetic news: headlines and RSS documents for benchmarks (no real outlet's text).

// Pseudo-words drawn with a Zipf-like skew, like news vocabulary: a few words everywhere, most words rare.
const SYLLABLES = ['ka', 'ro', 'vi', 'len', 'dor', 'mi', 'sa', 'tu', 'bel', 'gra', 'no', 'xi', 'pe', 'lat', 'qu', 'ze'];
const VOCABULARY = Array.from({ length: 4000 }, (_, i) => word(i));

function word(i: number): string {
  let n = i + 17;
  let w = '';
  do {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return w;
}

/** A deterministic pseudo-random generator (LCG) in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** The vocabulary word of a rank (0 is the most frequent). */
export function wordAt(rank: number): string {
  return VOCABULARY[rank];
}

function zipfWord(rand: () => number): string {
  return VOCABULARY[Math.floor(VOCABULARY.length * rand() ** 3)];
}

/** A headline and lede about a random event: capitalised names among ordinary words. */
export function headline(rand: () => number, n: number): { title: string; summary: string } {
  const words = (count: number) => Array.from({ length: count }, () => zipfWord(rand));
  const name = (w: string) => w[0].toUpperCase() + w.slice(1);
  const title = [name(zipfWord(rand)), ...words(4), name(zipfWord(rand)), ...words(3)].join(' ');
  const summary = `${[name(zipfWord(rand)), ...words(12), name(zipfWord(rand)), ...words(8)].join(' ')} (${n}).`;
  return { title, summary };
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
