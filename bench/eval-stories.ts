// Replays a labelled CSV through the service's StoryClusterer and prints B-cubed and pairwise scores,
// in publication order and in per-source order (how a poll delivers entries).
//   npm run eval:stories -- FILE.csv [--seed N] [--split even|odd] [--order pub,source,feed] [--set key=value ...] [--errors N] [--titles-only]
import path from 'node:path';
import type { ClustererOptions } from '../src/stories/index.ts';
import { cluster, feedOrder, groupBy, loadItems, publicationOrder, score, sourceOrder, type Item, type Scores } from './stories-replay.ts';

const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);
const fmt = (s: Scores): string =>
  `B3 F1 ${s.f1.toFixed(3)} P ${s.p.toFixed(3)} R ${s.r.toFixed(3)} | pairs P ${s.pp.toFixed(3)} R ${s.pr.toFixed(3)} | cross-outlet pairs P ${s.xp.toFixed(3)} R ${s.xr.toFixed(3)} F1 ${f1(s.xp, s.xr).toFixed(3)} | ${s.n} items`;

/** Prints the first n false merges and n split stories (for error analysis). */
function printErrors(items: Item[], pred: Map<number, number>, n: number): void {
  const show = (label: string, groups: Item[][], key: (i: Item) => string) => {
    for (const g of groups.slice(0, n)) {
      console.log(`  ${label}:`);
      for (const i of g) console.log(`    ${key(i)} ${i.gold} [${i.doc.sourceId}] ${i.doc.title} || ${i.doc.summary.slice(0, 160)}`);
    }
  };
  const byPred = [...groupBy(items, (i) => String(pred.get(i.doc.entryId))).values()];
  show('false merge', byPred.filter((g) => new Set(g.map((i) => i.gold)).size > 1), () => '');
  const byGold = [...groupBy(items, (i) => i.gold).values()];
  show('split', byGold.filter((g) => new Set(g.map((i) => pred.get(i.doc.entryId))).size > 1), (i) => `s${pred.get(i.doc.entryId)}`);
}

/** Parses `--set a=1 --set features.title=0.8` into clusterer options. */
function parseOptions(sets: string[]): ClustererOptions {
  const opts: Record<string, unknown> = {};
  for (const s of sets) {
    const [key, value] = s.split('=');
    const [head, sub] = key.split('.');
    if (sub) opts[head] = { ...(opts[head] as object), [sub]: Number(value) };
    else opts[head] = Number(value);
  }
  return opts as ClustererOptions;
}

function args(argv: string[]) {
  const get = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const sets = argv.flatMap((a, i) => (a === '--set' ? [argv[i + 1]] : []));
  return {
    file: argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')),
    seed: Number(get('--seed') ?? 7),
    split: get('--split'),
    orders: (get('--order') ?? 'pub,source').split(','),
    errors: Number(get('--errors') ?? 0),
    titlesOnly: argv.includes('--titles-only'),
    opts: parseOptions(sets),
  };
}

function main(): void {
  const a = args(process.argv.slice(2));
  if (!a.file) {
    console.error('usage: eval-stories.ts FILE.csv [--seed N] [--split even|odd] [--order pub,source,feed] [--set key=value] [--errors N] [--titles-only]');
    process.exit(2);
  }
  let items = loadItems(path.resolve(process.cwd(), a.file), a.seed);
  // Headline-only feeds (no description): how matching fares on the headline alone.
  if (a.titlesOnly) for (const i of items) i.doc.summary = '';
  if (a.split) items = items.filter((i) => (Number(i.gold.replace(/\D/g, '')) % 2 === 0) === (a.split === 'even'));
  const parts = [...groupBy(items, (i) => i.part).keys()];
  console.log(`${items.length} items, ${new Set(items.map((i) => i.gold)).size} stories, seed ${a.seed}${a.split ? `, ${a.split} stories` : ''}`);
  const orders: Record<string, () => Item[]> = {
    pub: () => publicationOrder(items), source: () => sourceOrder(items, a.seed), feed: () => feedOrder(items),
  };
  for (const name of a.orders) {
    const { pred, reasons, ms } = cluster(orders[name](), a.opts);
    console.log(`${name.padEnd(6)} all   ${fmt(score(items, items, pred))} | ${Math.round((items.length / ms) * 1000)} entries/s | ${JSON.stringify(reasons)}`);
    for (const part of parts) console.log(`${''.padEnd(6)} ${part.padEnd(5)} ${fmt(score(items.filter((i) => i.part === part), items, pred))}`);
    if (a.errors) printErrors(items, pred, a.errors);
  }
}

main();
