// Newest-first listings in SQL: the keyset condition of a page and its order, shared by every listing of stories and entries.
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Placeholder } from 'drizzle-orm';
import type { Keyset } from '../types.ts';

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
