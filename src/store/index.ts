// store/: all SQL of storywire, behind one asynchronous storage interface (types.ts) with an implementation per
// engine (sqlite/, pg/). Nothing outside src/store imports an engine, a driver or drizzle.
import { openSqliteStorage } from './sqlite/storage.ts';
import type { OpenOptions, Storage } from './types.ts';

export type * from './types.ts';
export { COPY_TABLES, FETCH_HISTORY_KEPT, RANKED_MATCHES, TOP_DOUBLING_MS } from './types.ts';
export { scanPage, SCAN_BATCH, SCAN_MAX, type ScannedPage } from './listing.ts';

/** Whether a --db / STORYWIRE_DB value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * Opens the database `db` names: a `postgres://` or `postgresql://` URL is PostgreSQL, anything else a SQLite file
 * path (":memory:" for tests), opened and migrated as `opts` says.
 */
export async function openStorage(db: string, opts: OpenOptions = {}): Promise<Storage> {
  if (isPostgresUrl(db)) {
    // Imported on demand: SQLite users never load postgres.js.
    const { openPgStorage } = await import('./pg/storage.ts');
    return openPgStorage(db, opts);
  }
  return openSqliteStorage(db, opts);
}
