import { describe, expect, it } from 'vitest';
import { SCAN_BATCH, SCAN_MAX, scanPage } from '../../src/store/index.ts';

// A list of numbers read by offset, recording each read's size.
function list(n: number) {
  const rows = Array.from({ length: n }, (_, i) => i);
  const reads: number[] = [];
  const read = async (from: number, size: number) => {
    reads.push(size);
    return rows.slice(from, from + size);
  };
  return { rows, reads, read, step: (p: number) => p + 1 };
}

async function allPages(n: number, limit: number, keep: ((r: number) => boolean) | null) {
  const l = list(n);
  const pages: number[][] = [];
  let next: number | null = 0;
  while (next !== null) {
    const page: { items: number[]; next: number | null } = await scanPage(next, limit, l.read, l.step, keep);
    pages.push(page.items);
    next = page.next;
  }
  return { pages, reads: l.reads };
}

describe('scanPage', () => {
  it('without a filter reads limit + 1 rows per page and ends with next null', async () => {
    const { pages, reads } = await allPages(7, 3, null);
    expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(reads).toEqual([4, 4, 4]);
  });

  it('with a filter pages through exactly the kept rows across batch boundaries, no gaps, no repeats', async () => {
    const keep = (r: number) => r % 7 === 0;
    const { pages } = await allPages(SCAN_BATCH * 3 + 11, 10, keep);
    const kept = list(SCAN_BATCH * 3 + 11).rows.filter(keep);
    expect(pages.flat()).toEqual(kept);
    expect(pages.slice(0, -1).every((p) => p.length === 10)).toBe(true);
  });

  it('starts the next page right after the last row kept', async () => {
    const l = list(100);
    expect(await scanPage(0, 2, l.read, l.step, (r) => r % 10 === 0)).toEqual({ items: [0, 10], next: 11 });
  });

  it('stops a sparse scan after SCAN_MAX rows and resumes where it stopped', async () => {
    const keep = (r: number) => r === 3 || r === SCAN_MAX + 5;
    const l = list(SCAN_MAX * 2);
    const first = await scanPage(0, 5, l.read, l.step, keep);
    expect(first).toEqual({ items: [3], next: SCAN_MAX });
    expect(l.reads.reduce((a, b) => a + b, 0)).toBe(SCAN_MAX);
    expect((await scanPage(first.next!, 5, l.read, l.step, keep)).items).toEqual([SCAN_MAX + 5]);
  });
});
