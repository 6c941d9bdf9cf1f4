// Guards story matching on the labelled development sets in ../shared/data/dedup (read when present, never copied):
// the figures `npm run eval:stories` prints, replayed in source order (how polls deliver entries) and in publication
// order, must not fall below floors set a margin under what the current matching reaches. A change that loses
// precision or cross-outlet recall fails here before it reaches a held-out set.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cluster, loadItems, publicationOrder, score, sourceOrder } from '../../bench/stories-replay.ts';

const DEDUP = path.resolve('../shared/data/dedup');

const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);

// Floors: about 0.02 (B-cubed) and 0.04 (pairs) below the figures measured when they were set (in parentheses).
const SETS = [
  // AllSides stories: B3 F1 source 0.905 / publication 0.897; cross-outlet pairs F1 0.844 / 0.830.
  { file: 'dev.csv', b3: 0.88, b3Precision: 0.93, crossF1: 0.79, crossPrecision: 0.86 },
  // Real outlets' stream: B3 F1 0.893 / 0.898; cross-outlet pairs F1 0.330 / 0.419, precision 0.789 / 0.828.
  { file: 'real_dev.csv', b3: 0.87, b3Precision: 0.95, crossF1: 0.29, crossPrecision: 0.74 },
];

for (const set of SETS) {
  const file = path.join(DEDUP, set.file);
  describe.skipIf(!existsSync(file))(`story matching on ${set.file} (../shared/data/dedup)`, () => {
    const items = existsSync(file) ? loadItems(file, 7) : [];
    for (const [order, arrange] of [['source', () => sourceOrder(items, 7)], ['publication', () => publicationOrder(items)]] as const) {
      it(`stays above its floors replayed in ${order} order`, () => {
        const s = score(items, items, cluster(arrange(), {}).pred);
        expect(s.f1).toBeGreaterThanOrEqual(set.b3);
        expect(s.p).toBeGreaterThanOrEqual(set.b3Precision);
        expect(s.xp).toBeGreaterThanOrEqual(set.crossPrecision);
        expect(f1(s.xp, s.xr)).toBeGreaterThanOrEqual(set.crossF1);
      }, 120_000);
    }
  });
}
