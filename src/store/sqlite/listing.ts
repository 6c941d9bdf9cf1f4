// Newest-first listings in SQL: the keyset condition of a page and its order, shared by every listing of stories and
// entries; and the same for the top order of stories.
import { desc, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Placeholder } from 'drizzle-orm';
import type { Keyset, TopKeyset } from '../types.ts';

/** The columns a newest-first list is ordered by. */
interface ListColumns {
  publishedAt: SQLiteColumn;
  id: SQLiteColumn;
}

/** "Comes after `k` in newest-first order": published earlier, or at the same time with a smaller id. */
export function olderThan(t: ListColumns, k: Keyset | { publishedAt: Placeholder; id: Placeholder }): SQL {
  return below(t.publishedAt, t.id, k.publishedAt, k.id);
}

/** "Comes after `k` in top-first order": a lower top key, or the same with a smaller id. */
export function belowTop(t: { topAt: SQLiteColumn; id: SQLiteColumn }, k: TopKeyset): SQL {
  return below(t.topAt, t.id, k.topAt, k.id);
}

/** Top first, ties by the larger id: the order belowTop pages through (and stories_top_idx holds). */
export function topFirst(t: { topAt: SQLiteColumn; id: SQLiteColumn }): SQL[] {
  return [desc(t.topAt), desc(t.id)];
}

// After (key, id) in a list ordered by key, then id, both descending. A row value, not the equivalent OR: SQLite
// seeks the index to the cursor for it, where the OR made it scan every row above the page.
function below(keyColumn: SQLiteColumn, idColumn: SQLiteColumn, key: number | Placeholder, id: number | Placeholder): SQL {
  return sql`(${keyColumn}, ${idColumn}) < (${key}, ${id})`;
}

/** Newest first, ties by the larger id: the order olderThan pages through. */
export function newestFirst(t: ListColumns): SQL[] {
  return [desc(t.publishedAt), desc(t.id)];
}
