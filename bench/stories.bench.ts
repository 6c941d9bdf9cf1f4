// Clustering throughput with 10k, 100k and 1M entries already stored (history spread over months, so only the
// window stays live), the memory it holds, and the ratio to tokenising alone. `npm run bench -- stories`, or directly.
import { normalizeForMatch, StoryClusterer, type ClusterDoc } from '../src/stories/index.ts';

const HOUR = 3600e3;
// About 2,000 entries a day from a few hundred outlets: a 72 h window holds ~6,000 live entries.
const PER_DAY = 2000;
const MEASURED = 20000;
const SOURCES = 300;
let started = false;

/** A deterministic pseudo-random generator (LCG) in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const SYLLABLES = ['ka', 'lo', 'mir', 'sen', 'dra', 'vo', 'tel', 'an', 'qui', 'ros', 'bel', 'tor', 'ni', 'zu', 'pha', 'gen', 'ul', 'ster', 'ma', 'vik'];

/** A vocabulary of made-up words; sampled with a Zipf-like skew so a few are common and most are rare. */
function vocabulary(rand: () => number, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    let w = '';
    for (let n = 2 + Math.floor(rand() * 3); n > 0; n--) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Synthetic stories: each event has its own rare words, every outlet's entry mixes them with common ones. */
function makeDocs(count: number, startId: number, startTime: number, seed: number): ClusterDoc[] {
  const rand = seeded(seed);
  const vocab = vocabulary(seeded(1), 30000);
  const zipf = () => vocab[Math.floor(vocab.length * Math.pow(rand(), 3))];
  const docs: ClusterDoc[] = [];
  let event: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) event = Array.from({ length: 5 }, zipf).map((w, k) => (k < 2 ? w[0].toUpperCase() + w.slice(1) : w));
    const words = (n: number) => Array.from({ length: n }, () => (rand() < 0.4 ? event[Math.floor(rand() * 5)] : zipf()));
    docs.push({
      entryId: startId + i, sourceId: `s${Math.floor(rand() * SOURCES)}`,
      title: `${event[0]} ${words(8).join(' ')}`, summary: `${event[1]} said on Monday that ${words(25).join(' ')}.`,
      canonicalUrl: null, publishedAt: startTime + (i / PER_DAY) * 24 * HOUR,
    });
  }
  return docs;
}

/** Adds `stored` entries as start-up replay would (pruning as time passes), then times decide+add on new ones. */
function measure(stored: number): { rate: number; heapMiB: number; live: StoryClusterer['size']; setupS: number } {
  const c = new StoryClusterer();
  const t0 = performance.now();
  let storyId = 1;
  for (let from = 0; from < stored; from += 10000) {
    const batch = makeDocs(Math.min(10000, stored - from), from + 1, (from / PER_DAY) * 24 * HOUR, from + 7);
    // History goes in by add() only, four entries per story, like the stored assignments replayed at start-up.
    for (const [i, d] of batch.entries()) c.add(d, storyId + Math.floor(i / 4));
    storyId += batch.length;
    c.prune(batch[batch.length - 1].publishedAt);
  }
  const setupS = (performance.now() - t0) / 1000;
  const fresh = makeDocs(MEASURED, stored + 1, (stored / PER_DAY) * 24 * HOUR, 99);
  const t = performance.now();
  for (const [i, d] of fresh.entries()) {
    c.add(d, c.decide(d).storyId ?? storyId++);
    // The service prunes once per poll; here every 500 entries (6 hours of this feed volume).
    if (i % 500 === 499) c.prune(d.publishedAt);
  }
  const rate = MEASURED / ((performance.now() - t) / 1000);
  (globalThis as { gc?: () => void }).gc?.();
  return { rate, heapMiB: process.memoryUsage().heapUsed / 1048576, live: c.size, setupS };
}

/** Tokenising the same entries alone: the floor the clusterer's cost is compared with. */
function tokenizeRate(): number {
  const docs = makeDocs(MEASURED, 1, 0, 99);
  const t = performance.now();
  for (const d of docs) normalizeForMatch(`${d.title} ${d.summary}`);
  return MEASURED / ((performance.now() - t) / 1000);
}

/** Prints clustering throughput at 10k, 100k and 1M stored entries, memory held and the ratio to tokenising. */
export async function runStoriesBench(): Promise<void> {
  started = true;
  const base = tokenizeRate();
  console.log(`stories: ${MEASURED} new entries timed through decide()+add() (+ prune every 500), ${PER_DAY} entries/day, 72 h window`);
  console.log(`  baseline normalizeForMatch alone: ${base.toFixed(0)} entries/s`);
  for (const stored of [10_000, 100_000, 1_000_000]) {
    const m = measure(stored);
    console.log(
      `  ${String(stored).padStart(9)} stored: ${m.rate.toFixed(0)} entries/s (${(1e6 / m.rate).toFixed(0)} µs/entry, ` +
        `${(base / m.rate).toFixed(2)}x tokenising), live ${m.live.entries} entries / ${m.live.stories} stories / ${m.live.terms} terms, ` +
        `heapUsed ${m.heapMiB.toFixed(0)} MiB (history replayed in ${m.setupS.toFixed(1)} s)`,
    );
  }
  console.log(`  goal: >= 5000 entries/s at 100k and a flat cost per entry as history grows`);
}

// Run directly (`node bin/run-ts.js bench/stories.bench.ts`): bin/run-ts.js drops the script from argv, so instead
// of comparing paths, run when no importer (bench/index.ts) has called runStoriesBench by the next macrotask.
setTimeout(() => void (started || runStoriesBench()), 0);
