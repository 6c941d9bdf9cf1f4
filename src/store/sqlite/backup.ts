// Online backup of the database while the service runs (SQLite's backup API through better-sqlite3).
import fs from 'node:fs';
import type { SqliteDb } from './open.ts';

/** Copies the live database to `file` page by page; other connections keep reading and writing meanwhile. */
export async function backupTo(store: SqliteDb, file: string): Promise<{ pages: number; bytes: number }> {
  if (fs.existsSync(file)) throw new Error(`backup: ${file} already exists; choose a new file`);
  const result = await store.sqlite.backup(file);
  return { pages: result.totalPages, bytes: fs.statSync(file).size };
}
