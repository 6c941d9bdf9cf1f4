// Newest-first listings: the keyset condition of a page, its order, and the loop that fills a page when rows are
// filtered after they are read (curated feed terms), shared by every listing of stories and entries.
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Placeholder } from 'drizzle-orm';

/** A position in a newest-first list: the last item of the previous page. */
export interface Keyset {
  publishedAt: number;
  id: number;
}

/** The columns a newest-first list is ordered by. */
interface ListColumns {
  publishedAt: SQLiteColumn;
  id: SQLiteColumn;
}

/** "Comes after `k` in newest-first order": published earlier, or at the same time with a smaller id. */
export function olderThan(t: ListColumns, k: Keyset | { publishedAt: Placeholder; id: Placeholder }): SQL {
  return or(lt(t.publishedAt, k.publishedAt), and(eq(t.publishedAt, k.publishedAt), lt(t.id, k.id)))!;
}

/** Newest first, ties by the larger id: the order olderThan pages through. */
export function newestFirst(t: ListColumns): SQL[] {
  return [desc(t.publishedAt), desc(t.id)];
}

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
export function scanPage<R, P>(start: P, limit: number, read: (from: P, size: number) => R[], step: (position: P, row: R) => P, keep: ((row: R) => boolean) | null): ScannedPage<R, P> {
  const items: R[] = [];
  let position = start;
  // The position after the last row kept: the next page starts there when this one fills up.
  let afterKept = start;
  let scanned = 0;
  while (scanned < SCAN_MAX) {
    const size = keep ? SCAN_BATCH : limit + 1 - items.length;
    const batch = read(position, size);
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
