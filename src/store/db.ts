// Opens the SQLite database with the pragmas storywire relies on and applies the committed migrations.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** An open database: the raw handle (for prepared statements and transactions) and drizzle over it. */
export interface Store {
  sqlite: Database.Database;
  db: BetterSQLite3Database<typeof schema>;
  close(): void;
}

/** Opens (creating its folder) and migrates the database at `file`; ":memory:" for tests. */
export function openStore(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // A 64 MiB page cache and memory-mapped reads keep the indexes of a large history in memory (SQLite's default is 2 MiB).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { sqlite, db, close: () => sqlite.close() };
}

/** Runs `fn` in one IMMEDIATE transaction: all of it commits, or none of it. */
export function inTransaction<T>(store: Store, fn: () => T): T {
  return store.sqlite.transaction(fn).immediate();
}
