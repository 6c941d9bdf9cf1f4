// Opens the SQLite database with the pragmas storywire relies on and applies the committed migrations.
// Every way opening can fail because of the operator's setup (folder missing or read-only, file locked, not a
// database, corrupt) becomes an OperatorError: one line naming the path and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { OperatorError } from '../../lib/operator-error.ts';
import { notMigrated } from '../not-migrated.ts';
import * as schema from './schema.ts';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle/sqlite');
const BUSY_TIMEOUT_MS = 5000;

/** An open database: the raw handle (for prepared statements and transactions) and drizzle over it. */
export interface SqliteDb {
  sqlite: Database.Database;
  db: BetterSQLite3Database<typeof schema>;
  close(): void;
}

import type { OpenOptions } from '../types.ts';


/** Opens (creating its folder) and migrates the database at `file`; ":memory:" for tests. */
export function openStore(file: string, opts: OpenOptions = {}): SqliteDb {
  const memory = file === ':memory:';
  const abs = memory ? file : path.resolve(file);
  const readonly = opts.readonly ?? false;
  if (!memory) prepareLocation(abs, readonly || (opts.mustExist ?? false));
  let sqlite: Database.Database | null = null;
  let migrating = false;
  try {
    sqlite = new Database(file, { readonly, fileMustExist: readonly || (opts.mustExist ?? false), timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
    // WAL is a property of the file, set by the first writer; a read-only connection cannot (and need not) set it.
    const busyMs = opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
    const conn = sqlite;
    if (!readonly) whileBusy(() => conn.pragma('journal_mode = WAL'), busyMs);
    else sqlite.pragma('schema_version'); // reads page 1: "not a database" shows here, not at the first query
    if (!readonly) sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = ON');
    // A 64 MiB page cache and memory-mapped reads keep the indexes of a large history in memory (SQLite's default is 2 MiB).
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('mmap_size = 268435456');
    if (opts.integrityCheck && !memory) checkIntegrity(sqlite, abs);
    const db = drizzle(sqlite, { schema });
    if ((opts.migrate ?? true) && !readonly) {
      migrating = true;
      whileBusy(() => migrateOnce(conn), busyMs);
      migrating = false;
    } else if (!memory && !opts.anySchema) checkMigrated(sqlite, abs);
    const handle = sqlite;
    return { sqlite: handle, db, close: () => handle.close() };
  } catch (e) {
    sqlite?.close();
    if (e instanceof OperatorError) throw e;
    const known = openFailure(e, abs, readonly, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
    const detail = String((e as Error).message ?? e).replace(/\s+/g, ' ').slice(0, 300);
    throw new OperatorError(known ?? `cannot ${migrating ? 'migrate' : 'open'} database ${abs}: ${detail}${migrating ? '; restore a backup or move the file away' : ''}`);
  }
}

// Processes opening one new file at once can meet SQLITE_BUSY without SQLite's busy handler having waited (switching
// the file to WAL, or reading it while another process does): such a step is tried again until the busy timeout.
function whileBusy<T>(step: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      return step();
    } catch (e) {
      if (!sqliteCode(e)?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause); // opening is synchronous: a blocking pause
    }
  }
}

// serve, poll and a worker may start at once on one new file. drizzle's migrator reads which migrations are applied
// before its own (deferred) BEGIN, so two processes would both apply them and one fail on "table already exists". These
// are its steps, on its bookkeeping table and its reading of the migration files, inside one BEGIN IMMEDIATE: a second
// process waits (busy_timeout) for the first to commit, then finds nothing left to apply.
function migrateOnce(sqlite: Database.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS });
  sqlite
    .transaction(() => {
      sqlite.exec('CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
      const last = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').pluck().get() as number | undefined;
      const record = sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)');
      for (const m of migrations) {
        if (last !== undefined && Number(last) >= m.folderMillis) continue;
        for (const statement of m.sql) sqlite.exec(statement);
        record.run(m.hash, m.folderMillis);
      }
    })
    .immediate();
}

// A command that does not migrate cannot read a database an older storywire wrote: say so instead of failing on a column.
function checkMigrated(sqlite: Database.Database, abs: string): void {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const applied = hasTable ? (sqlite.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
  if (applied < journal.entries.length) {
    const hasTables = Boolean(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries'").get());
    throw notMigrated(abs, applied, journal.entries.length, hasTables);
  }
}


/**
 * A sentence for a database error met while running (not opening), naming the cause and the fix, or null when `e`
 * is not a database error. Used by the poller, so "disk full" reads as such in the logs and on /sources.
 */
export function describeDatabaseError(e: unknown, store?: SqliteDb): string | null {
  const code = sqliteCode(e);
  if (!code) return null;
  const file = store && store.sqlite.name !== ':memory:' ? ` ${path.resolve(store.sqlite.name)}` : '';
  if (code.startsWith('SQLITE_FULL')) return `database${file} is full: the disk has no space left (or the database reached its size limit), so this poll could not be saved; free disk space, polling resumes by itself`;
  if (code.startsWith('SQLITE_READONLY')) return `database${file} became read-only, so this poll could not be saved; make the file and its folder writable again`;
  if (code.startsWith('SQLITE_BUSY')) return `database${file} stayed locked by another process for ${BUSY_TIMEOUT_MS / 1000} s, so this poll could not be saved; it is retried later`;
  if (code.startsWith('SQLITE_CORRUPT')) return `database${file} is corrupt (${code}); stop storywire and restore a backup`;
  if (code.startsWith('SQLITE_IOERR')) return `database${file}: input/output error (${code}); check the disk`;
  return `database${file}: ${(e as Error).message} (${code})`;
}

function sqliteCode(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

// The folder must exist (created when possible) and be a folder; a database that must exist must be there.
function prepareLocation(abs: string, mustExist: boolean): void {
  const dir = path.dirname(abs);
  const kind = statKind(dir);
  if (kind === 'missing' && mustExist) throw new OperatorError(`database not found: ${abs} (its folder ${dir} does not exist); pass --db with the database serve uses, or run storywire serve or poll first`);
  if (kind === 'missing') {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'EEXIST') throw notAFolder(abs);
      throw new OperatorError(`cannot create the database folder ${dir} (${code ?? (e as Error).message}); create it, make its parent writable, or pass --db`);
    }
  } else if (kind === 'other') throw notAFolder(abs);
  const file = statKind(abs);
  if (file === 'dir') throw new OperatorError(`database path ${abs} is a folder, not a file; pass --db with a file path such as ${path.join(abs, 'storywire.db')}`);
  if (file === 'missing' && mustExist) throw new OperatorError(`database not found: ${abs}; pass --db with the database serve uses, or run storywire serve or poll first`);
}

function notAFolder(abs: string): OperatorError {
  let dir = path.dirname(abs);
  // Name the part of the path that is a file, not the folder that cannot exist below it.
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return new OperatorError(`cannot use database ${abs}: ${dir} is a file, not a folder; pass --db with a path in a folder`);
}

function statKind(p: string): 'missing' | 'dir' | 'other' {
  try {
    return fs.statSync(p).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'missing' : 'other';
  }
}

function writable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// The sentence for a failure while opening, pragmas or migrating, by SQLite's code.
function openFailure(e: unknown, abs: string, readonly: boolean, busyMs: number): string | null {
  const code = sqliteCode(e);
  if (!code) return null;
  const dir = path.dirname(abs);
  if (code === 'SQLITE_NOTADB') return `${abs} is not a SQLite database (${code}); move it away to start a new database there, or pass --db with the right file`;
  if (code.startsWith('SQLITE_CORRUPT')) return `database ${abs} is corrupt (${code}); restore a backup (see storywire backup) or move it away to start afresh`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return `database ${abs} is locked by another process (waited ${busyMs / 1000} s); stop that process (another storywire?) or pass --db`;
  if (code.startsWith('SQLITE_READONLY') || (code.startsWith('SQLITE_CANTOPEN') && !readonly)) {
    if (!writable(dir)) return `database folder ${dir} is not writable; make it writable for this user or pass --db`;
    if (fs.existsSync(abs) && !writable(abs)) return `database ${abs} is read-only; make it writable for this user or pass --db`;
    if (code.startsWith('SQLITE_READONLY')) return `database ${abs} cannot be written (${code}); check that the file, its -wal and -shm files and its folder are writable, or pass --db`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) return `cannot open database ${abs} (${code}); check that it exists and is readable, or pass --db`;
  if (code.startsWith('SQLITE_FULL')) return `cannot write database ${abs}: the disk is full (${code}); free some space`;
  return null;
}

// `PRAGMA quick_check` reads every page once (no index cross-checks): a damaged file is reported at start instead of served.
function checkIntegrity(sqlite: Database.Database, abs: string): void {
  const rows = sqlite.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length) throw new OperatorError(`database ${abs} is corrupt (quick_check: ${problems.join('; ').replace(/\s+/g, ' ').slice(0, 300)}); restore a backup (see storywire backup) or move it away to start afresh`);
}
