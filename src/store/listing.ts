// Newest-first listings, whatever the engine: the loop that fills a page when rows are filtered after they are read
// (curated feed terms), shared by every listing of stories and entries.
export type { Keyset } from './types.ts';

/** How a filtered page is read: rows per read, and at most this many rows read for one page. */
export const SCAN_BATCH = 200;
export const SCAN_MAX = 5000;

/** Where the next page starts, null when the list ended. */
export interface ScannedPage<R, P> {
  items: R[];
  next: P | null;
}

/**
 * Fills a page of at most `limit` rows that pass `keep` (null keeps every row), reading the list in order from
 * `start`: `read(from, size)` returns up to `size` rows after position `from`, and `step(position, row)` is the
 * position after `row`. Without a filter it reads `limit + 1` rows (one more tells whether a page follows); with
 * one, batches of SCAN_BATCH, and a feed whose terms match almost nothing stops after SCAN_MAX rows, the next page
 * resuming where the scan stopped.
 */
export async function scanPage<R, P>(start: P, limit: number, read: (from: P, size: number) => Promise<R[]>, step: (position: P, row: R) => P, keep: ((row: R) => boolean) | null): Promise<ScannedPage<R, P>> {
  const items: R[] = [];
  let position = start;
  // The position after the last row kept: the next page starts there when this one fills up.
  let afterKept = start;
  let scanned = 0;
  while (scanned < SCAN_MAX) {
    const size = keep ? SCAN_BATCH : limit + 1 - items.length;
    const batch = await read(position, size);
    scanned += batch.length;
    for (const row of batch) {
      const kept = !keep || keep(row);
      if (kept && items.length === limit) return { items, next: afterKept };
      if (kept) items.push(row);
      position = step(position, row);
      if (kept) afterKept = position;
    }
    if (batch.length < size) return { items, next: null };
  }
  return { items, next: position };
}
