// Replays a labelled CSV through the service's StoryClusterer: times as the acceptance replay assigns them,
// arrival orders as a poll delivers entries, and B-cubed / pairwise scores.
import { readCsv } from './csv.ts';
import { StoryClusterer, type ClusterDoc, type ClustererOptions } from '../src/stories/index.ts';

/** One labelled entry of the CSV. */
export interface Item {
  doc: ClusterDoc;
  gold: string;
  part: string;
  row: number;
}

const HOUR = 3600e3;
// A fixed "now" keeps runs comparable; only differences between times matter.
const NOW = Date.UTC(2024, 0, 1);

/** The replay tool's generator (acceptance replays with seed 7). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

/** Items with times assigned as replay-stories.mjs does: dated ones shifted to end an hour ago, undated spread over 20 days. */
export function loadItems(file: string, seed: number): Item[] {
  const rows = readCsv(file);
  const rand = lcg(seed);
  const dated = rows.filter((r) => r.published_at).map((r) => Date.parse(r.published_at));
  const shift = dated.length ? NOW - HOUR - Math.max(...dated) : 0;
  const storyDay = new Map<string, number>();
  return rows.map((r, i) => {
    let t: number;
    if (r.published_at) t = Date.parse(r.published_at) + shift;
    else {
      if (!storyDay.has(r.story_id)) storyDay.set(r.story_id, NOW - HOUR - rand() * 20 * 24 * HOUR);
      t = storyDay.get(r.story_id)! + (rand() - 0.5) * 12 * HOUR;
    }
    const src = slug(r.source);
    const doc: ClusterDoc = {
      entryId: i + 1, sourceId: src, title: r.title, summary: r.summary,
      canonicalUrl: `https://${src}.example.com/news/${r.item_id || i}`, publishedAt: Math.min(t, NOW - 60e3),
    };
    return { doc, gold: r.story_id, part: r.story_id.includes(':') ? r.story_id.split(':')[0] : r.story_id.split('-')[0], row: i };
  });
}

/** Publication order: oldest first. */
export function publicationOrder(items: Item[]): Item[] {
  return [...items].sort((a, b) => a.doc.publishedAt - b.doc.publishedAt || a.row - b.row);
}

/** Per-source order: sources in a seeded shuffle, each feed's items newest first. */
export function sourceOrder(items: Item[], seed: number): Item[] {
  const bySource = groupBy(items, (i) => i.doc.sourceId);
  const sources = [...bySource.keys()].sort();
  const rand = lcg(seed * 31 + 1);
  for (let i = sources.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [sources[i], sources[j]] = [sources[j], sources[i]];
  }
  return sources.flatMap((s) => [...bySource.get(s)!].sort((a, b) => b.doc.publishedAt - a.doc.publishedAt || a.row - b.row));
}

/** Feed order: what one poll of the replay tool's feeds does: sources as first listed, each one's items oldest first. */
export function feedOrder(items: Item[]): Item[] {
  return [...groupBy(items, (i) => i.doc.sourceId).values()].flatMap((g) => [...g].sort((a, b) => a.doc.publishedAt - b.doc.publishedAt || a.row - b.row));
}

export function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(x);
  }
  return out;
}

/** Runs the clusterer exactly as the service does: decide, open a story when null, add. */
export function cluster(items: Item[], opts: ClustererOptions) {
  const c = new StoryClusterer(opts);
  const pred = new Map<number, number>();
  const reasons: Record<string, number> = {};
  let nextId = 1;
  const t0 = performance.now();
  for (const { doc } of items) {
    const d = c.decide(doc);
    const id = d.storyId ?? nextId++;
    c.add(doc, id);
    pred.set(doc.entryId, id);
    reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
  }
  return { pred, reasons, ms: performance.now() - t0 };
}

/** B-cubed and pairwise precision and recall. */
export interface Scores {
  p: number;
  r: number;
  f1: number;
  /** Pairwise precision and recall over all pairs of items. */
  pp: number;
  pr: number;
  /** Pairwise precision and recall over pairs of items from different outlets: one story told by several outlets. */
  xp: number;
  xr: number;
  n: number;
}

/** B-cubed and pairwise precision and recall over the given items (clusters count all items, so cross-part merges cost). */
export function score(items: Item[], all: Item[], pred: Map<number, number>): Scores {
  const predGroups = groupBy(all, (i) => String(pred.get(i.doc.entryId)));
  const goldGroups = groupBy(all, (i) => i.gold);
  let p = 0, r = 0, tp = 0, predPairs = 0, goldPairs = 0;
  let xtp = 0, xPred = 0, xGold = 0;
  for (const it of items) {
    const P = predGroups.get(String(pred.get(it.doc.entryId)))!;
    const G = goldGroups.get(it.gold)!;
    const both = P.filter((x) => x.gold === it.gold).length;
    p += both / P.length;
    r += both / G.length;
    tp += both - 1;
    predPairs += P.length - 1;
    goldPairs += G.length - 1;
    const other = (x: Item) => x.doc.sourceId !== it.doc.sourceId;
    xtp += P.filter((x) => x.gold === it.gold && other(x)).length;
    xPred += P.filter(other).length;
    xGold += G.filter(other).length;
  }
  const n = items.length;
  [p, r] = [p / n, r / n];
  return { p, r, f1: (2 * p * r) / (p + r), pp: predPairs ? tp / predPairs : 1, pr: goldPairs ? tp / goldPairs : 1, xp: xPred ? xtp / xPred : 1, xr: xGold ? xtp / xGold : 1, n };
}

