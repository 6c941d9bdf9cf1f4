// Guards story matching on the labelled development sets in ../shared/data/dedup (read when present, never copied):
// the figures `npm run eval:stories` prints, replayed in feed order (what one poll does: sources in turn, each oldest
// first) and in publication order (what steady polling delivers), must not fall below floors set a margin under what
// the current matching reaches. A change that loses precision or cross-outlet recall fails here before it reaches a
// held-out set.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cluster, feedOrder, loadItems, publicationOrder, score } from '../../bench/stories-replay.ts';

const DEDUP = path.resolve('../shared/data/dedup');

const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);

interface Floors { b3: number; b3Precision: number; crossF1: number; crossPrecision: number }

// Floors: about 0.02 (B-cubed) and 0.04 (pairs) below the figures measured when they were set (in the comments).
const SETS: { file: string; feed: Floors; publication: Floors }[] = [
  {
    file: 'dev.csv',
    // Feed order: B3 F1 0.900, P 0.960; cross-outlet pairs F1 0.830, P 0.901.
    feed: { b3: 0.88, b3Precision: 0.93, crossF1: 0.79, crossPrecision: 0.85 },
    // Publication order: B3 F1 0.864, P 0.869; pairs F1 0.763, P 0.741. Lower by construction of the set: its neus
    // stories name their outlets outlet-0/1/2, so one "outlet" publishes some 150 unrelated stories a day, and an
    // outlet's second piece vouched for by another outlet (right for real outlets) joins a neighbouring story. The
    // as21 part, with real outlets, keeps its B3 F1 (0.92) in this order; its cross-outlet pair F1 is 0.015 lower.
    publication: { b3: 0.84, b3Precision: 0.83, crossF1: 0.71, crossPrecision: 0.67 },
  },
  {
    file: 'real_dev.csv',
    // Feed order: B3 F1 0.918, P 0.978; cross-outlet pairs F1 0.550, P 0.910.
    feed: { b3: 0.89, b3Precision: 0.95, crossF1: 0.51, crossPrecision: 0.86 },
    // Publication order: B3 F1 0.916, P 0.965; cross-outlet pairs F1 0.562, P 0.853.
    publication: { b3: 0.89, b3Precision: 0.94, crossF1: 0.52, crossPrecision: 0.81 },
  },
];

for (const set of SETS) {
  const file = path.join(DEDUP, set.file);
  describe.skipIf(!existsSync(file))(`story matching on ${set.file} (../shared/data/dedup)`, () => {
    const items = existsSync(file) ? loadItems(file, 7) : [];
    for (const [order, arrange] of [['feed', () => feedOrder(items)], ['publication', () => publicationOrder(items)]] as const) {
      it(`stays above its floors replayed in ${order} order`, () => {
        const floors = set[order];
        const s = score(items, items, cluster(arrange(), {}).pred);
        expect(s.f1).toBeGreaterThanOrEqual(floors.b3);
        expect(s.p).toBeGreaterThanOrEqual(floors.b3Precision);
        expect(s.xp).toBeGreaterThanOrEqual(floors.crossPrecision);
        expect(f1(s.xp, s.xr)).toBeGreaterThanOrEqual(floors.crossF1);
      }, 120_000);
    }
  });
}
