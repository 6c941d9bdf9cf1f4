// Whole-table reads and writes for `storywire copy-db`: rows in key order, inserted with their ids (the identity
// columns are "by default", so explicit ids are accepted), and the identity sequences moved past the copied ids.
import { count, sql } from 'drizzle-orm';
import type { CopyKey, CopyRows, CopyTable, EntryRow, FetchHistoryRow, IdCounters, MetaRow, SourceRow, StoryRow } from '../types.ts';
import { pgText } from './entries.ts';
import type { PgDb } from './open.ts';
import { entries, entriesSearch, fetchHistory, sources, stories, storeMeta } from './schema.ts';

/** PostgreSQL takes at most 65535 parameters per statement: 1000 rows of at most 22 columns stay below. */
const CHUNK = 1000;

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
export async function exportRows<T extends CopyTable>(db: PgDb, table: T, after: CopyKey | null, limit: number): Promise<CopyRows[T][]> {
  const { t, key } = tableOf(table);
  // Text keys compare in byte order (COLLATE "C"), as SQLite compares them, whatever the database's collation is.
  const k = table === 'sources' || table === 'store_meta' ? sql`${key} COLLATE "C"` : sql`${key}`;
  const q = db.select().from(t);
  const page = after === null ? q : q.where(sql`${k} > ${after}`);
  return (await page.orderBy(k).limit(limit)) as CopyRows[T][];
}

// Text as PostgreSQL can hold it (no U+0000), as the poller writes it.
function cleanRow(row: SourceRow | MetaRow | StoryRow | EntryRow | FetchHistoryRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' ? pgText(v) : v;
  return out;
}

/** Inserts rows as they are, in one transaction; store_meta rows replace the target's own. */
export async function importRows<T extends CopyTable>(db: PgDb, table: T, rows: CopyRows[T][]): Promise<void> {
  if (!rows.length) return;
  const { t } = tableOf(table);
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK).map(cleanRow) as never[];
      if (table === 'store_meta') await tx.insert(storeMeta).values(chunk).onConflictDoUpdate({ target: storeMeta.key, set: { value: sql`excluded.value` } });
      else await tx.insert(t).values(chunk);
    }
  });
}

/** How many rows a table holds; 'search_index' counts entries_search. */
export async function countRows(db: PgDb, table: CopyTable | 'search_index'): Promise<number> {
  const t = table === 'search_index' ? entriesSearch : tableOf(table).t;
  const [row] = await db.select({ n: count() }).from(t);
  return Number(row!.n);
}

// Raw SQL: identity sequences are reached through pg_get_serial_sequence and read/set with PostgreSQL's own functions.
async function sequenceHigh(db: PgDb, table: 'stories' | 'entries'): Promise<number> {
  const [seq] = await db.execute<{ s: string }>(sql`SELECT pg_get_serial_sequence(${table}, 'id') AS s`);
  const [row] = await db.execute<{ last_value: number; is_called: boolean }>(sql`SELECT last_value, is_called FROM ${sql.raw(seq!.s)}`);
  // An unused sequence says last_value 1, is_called false: nothing handed out yet.
  return row!.is_called ? Number(row!.last_value) : Number(row!.last_value) - 1;
}

/** The highest id each identity sequence has handed out. */
export async function idCounters(db: PgDb): Promise<IdCounters> {
  return { stories: await sequenceHigh(db, 'stories'), entries: await sequenceHigh(db, 'entries') };
}

/** Moves each identity sequence past `c` and every stored id: rows inserted with explicit ids do not move it. */
export async function advanceIdCounters(db: PgDb, c: IdCounters): Promise<void> {
  await db.transaction(async (tx) => {
    // fetch_history's ids are only past the stored ones: nothing refers to a pruned row's id, so it may come again.
    // Raw SQL: setval on the identity's sequence, as below.
    await tx.execute(sql`SELECT setval(pg_get_serial_sequence('fetch_history', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM fetch_history), 1), (SELECT COUNT(*) FROM fetch_history) > 0)`);
    for (const table of ['stories', 'entries'] as const) {
      const high = Math.max(c[table], await sequenceHigh(tx, table));
      // Raw SQL: setval on the identity's sequence; GREATEST with the stored ids in the same statement.
      await tx.execute(
        sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST(${high}::bigint, (SELECT COALESCE(MAX(id), 0) FROM ${sql.raw(table)}), 1), GREATEST(${high}::bigint, (SELECT COALESCE(MAX(id), 0) FROM ${sql.raw(table)})) > 0)`,
      );
    }
  });
}
