// Newest-first and top-first listings in SQL on PostgreSQL: the keyset condition of a page and its order (as sqlite/listing.ts);
// and lists sent as one parameter.
import { desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Keyset, TopKeyset } from '../types.ts';

interface ListColumns {
  publishedAt: PgColumn;
  id: PgColumn;
}

/** "Comes after `k` in newest-first order": published earlier, or at the same time with a smaller id. */
export function olderThan(t: ListColumns, k: Keyset): SQL {
  return below(t.publishedAt, t.id, k.publishedAt, k.id);
}

/** "Comes after `k` in top-first order": a lower top key, or the same with a smaller id. */
export function belowTop(t: { topAt: PgColumn; id: PgColumn }, k: TopKeyset): SQL {
  return below(t.topAt, t.id, k.topAt, k.id);
}

/** Top first, ties by the larger id: the order belowTop pages through (and stories_top_idx holds). */
export function topFirst(t: { topAt: PgColumn; id: PgColumn }): SQL[] {
  return [desc(t.topAt), desc(t.id)];
}

// After (key, id) in a list ordered by key, then id, both descending. A row comparison, not the equivalent OR of
// two conditions: PostgreSQL starts the index walk at the position for it, where it scans the OR from the top of the
// index and filters (a page 50 deep read and dropped the 1,000 rows above it).
function below(keyColumn: PgColumn, idColumn: PgColumn, key: number, id: number): SQL {
  return sql`(${keyColumn}, ${idColumn}) < (${key}::bigint, ${id}::int)`;
}

/** Newest first, ties by the larger id: the order olderThan pages through (and the *_published_idx indexes hold). */
export function newestFirst(t: ListColumns): SQL[] {
  return [desc(t.publishedAt), desc(t.id)];
}

/** A list of integer ids as one PostgreSQL array parameter (`= ANY(...)`), where SQLite reads a JSON array through json_each. */
export function intArray(ids: readonly number[]): string {
  return `{${ids.map((n) => Math.trunc(Number(n))).join(',')}}`;
}

/** `rows` in the order of `ids`: a page's rows read by `= ANY(ids)` come back in no particular order. */
export function inIdOrder<T extends { id: number }>(ids: readonly number[], rows: readonly T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
}

/**
 * A value as one JSON parameter. Lone UTF-16 surrogates become U+FFFD, as postgres.js's UTF-8 encoding of a text
 * parameter makes them (JSON would carry them as \\ud800 escapes, which PostgreSQL refuses to turn into text).
 */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
