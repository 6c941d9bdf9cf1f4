// Whole-table reads and writes for `storywire copy-db`: rows in key order, inserted with their ids, and the
// AUTOINCREMENT counters (sqlite_sequence) that keep a deleted story's id from being handed out again.
import { asc, count, gt, sql } from 'drizzle-orm';
import type { CopyKey, CopyRows, CopyTable, IdCounters } from '../types.ts';
import type { SqliteDb } from './open.ts';
import { entries, fetchHistory, sources, stories, storeMeta } from './schema.ts';

/** drizzle's 999-variable habit is long gone (SQLite allows 32766); 500 rows of at most 22 columns stay well below. */
const CHUNK = 500;

function tableOf(table: CopyTable) {
  switch (table) {
    case 'sources':
      return { t: sources, key: sources.id };
    case 'store_meta':
      return { t: storeMeta, key: storeMeta.key };
    case 'stories':
      return { t: stories, key: stories.id };
    case 'entries':
      return { t: entries, key: entries.id };
    case 'fetch_history':
      return { t: fetchHistory, key: fetchHistory.id };
  }
}

/** Up to `limit` rows of `table` with a key above `after`, in key order. */
export function exportRows<T extends CopyTable>(store: SqliteDb, table: T, after: CopyKey | null, limit: number): CopyRows[T][] {
  const { t, key } = tableOf(table);
  const q = store.db.select().from(t);
  const filtered = after === null ? q : q.where(gt(key, after));
  return filtered.orderBy(asc(key)).limit(limit).all() as CopyRows[T][];
}

/** Inserts rows as they are, in one IMMEDIATE transaction; store_meta rows replace the target's own. */
export function importRows<T extends CopyTable>(store: SqliteDb, table: T, rows: CopyRows[T][]): void {
  if (!rows.length) return;
  const { t } = tableOf(table);
  store.sqlite
    .transaction(() => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK) as never[];
        if (table === 'store_meta') {
          store.db
            .insert(storeMeta)
            .values(chunk)
            .onConflictDoUpdate({ target: storeMeta.key, set: { value: sql`excluded.value` } })
            .run();
        } else store.db.insert(t).values(chunk).run();
      }
    })
    .immediate();
}

/** How many rows a table holds; 'search_index' counts FTS5's one docsize row per indexed entry. */
export function countRows(store: SqliteDb, table: CopyTable | 'search_index'): number {
  // Raw SQL for the index: entries_fts_docsize is FTS5's shadow table, unknown to drizzle.
  if (table === 'search_index') return store.sqlite.prepare('SELECT COUNT(*) FROM entries_fts_docsize').pluck().get() as number;
  const { t } = tableOf(table);
  return store.db.select({ n: count() }).from(t).get()!.n;
}

// Raw SQL: sqlite_sequence is SQLite's own bookkeeping table of AUTOINCREMENT counters, outside the drizzle schema.
/** The highest id each AUTOINCREMENT table has handed out. */
export function idCounters(store: SqliteDb): IdCounters {
  const rows = store.sqlite.prepare("SELECT name, seq FROM sqlite_sequence WHERE name IN ('stories', 'entries')").all() as { name: string; seq: number }[];
  const of = (name: string) => Number(rows.find((r) => r.name === name)?.seq ?? 0);
  return { stories: of('stories'), entries: of('entries') };
}

/** Raises each counter to `c` (inserting ids already moved it past the stored ones). */
export function advanceIdCounters(store: SqliteDb, c: IdCounters): void {
  const update = store.sqlite.prepare('UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?');
  const insert = store.sqlite.prepare('INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)');
  store.sqlite
    .transaction(() => {
      for (const name of ['stories', 'entries'] as const) {
        if (update.run(c[name], name).changes === 0 && c[name] > 0) insert.run(name, c[name], name);
      }
    })
    .immediate();
}
