// Opening the database: every mistake in the operator's setup is an OperatorError naming the path and the fix.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorError } from '../../src/lib/operator-error.ts';
import { openSqliteStorage, type SqliteStorage as Store } from '../../src/store/sqlite/storage.ts';

let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-open-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function openError(file: string, opts: Parameters<typeof openSqliteStorage>[1] = {}): OperatorError {
  try {
    openSqliteStorage(file, opts).close();
  } catch (e) {
    expect(e).toBeInstanceOf(OperatorError);
    expect((e as Error).message).not.toContain('\n');
    return e as OperatorError;
  }
  throw new Error(`opening ${file} succeeded`);
}

describe('openStore', () => {
  it('creates a missing folder, as before', async () => {
    const file = path.join(dir, 'new', 'deeper', 'x.db');
    openSqliteStorage(file).close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('names the file that stands where a folder should be', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    expect(openError(path.join(blocker, 'x.db')).message).toBe(`cannot use database ${path.join(blocker, 'x.db')}: ${blocker} is a file, not a folder; pass --db with a path in a folder`);
    expect(openError(path.join(blocker, 'sub', 'x.db')).message).toContain(`: ${blocker} is a file, not a folder`);
  });

  it('refuses a folder given as the database file', async () => {
    expect(openError(dir).message).toBe(`database path ${dir} is a folder, not a file; pass --db with a file path such as ${path.join(dir, 'storywire.db')}`);
  });

  it('says a file of garbage is not a database, and leaves it alone', async () => {
    const file = path.join(dir, 'garbage.db');
    const garbage = 'this is a shopping list, not a database\n'.repeat(200);
    fs.writeFileSync(file, garbage);
    expect(openError(file).message).toBe(`${file} is not a SQLite database (SQLITE_NOTADB); move it away to start a new database there, or pass --db with the right file`);
    expect(openError(file, { readonly: true }).message).toMatch(/is not a SQLite database/);
    expect(fs.readFileSync(file, 'utf8')).toBe(garbage);
  });

  it('reports a corrupt database at start with the integrity check', async () => {
    const file = path.join(dir, 'corrupt.db');
    const store = openSqliteStorage(file);
    await store.syncSources(Array.from({ length: 400 }, (_, i) => ({ id: `s${i}`, url: `https://s${i}.example/feed-with-a-long-path-${'x'.repeat(80)}`, priority: 0 })));
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = store.sqlite.pragma('page_size', { simple: true }) as number;
    const pages = store.sqlite.pragma('page_count', { simple: true }) as number;
    await store.close();
    expect(pages).toBeGreaterThan(4);
    // Scribble over the last third of the file (the sources' b-tree pages), keeping the schema's pages intact.
    const fd = fs.openSync(file, 'r+');
    const first = Math.floor((pages * 2) / 3);
    fs.writeSync(fd, Buffer.alloc((pages - first) * pageSize, 0x5a), 0, undefined, first * pageSize);
    fs.closeSync(fd);
    // Without the check the damage goes unnoticed at open (it would show later, in some request or poll).
    openSqliteStorage(file).close();
    expect(openError(file, { integrityCheck: true }).message).toMatch(new RegExp(`^database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt( \\(SQLITE_CORRUPT[A-Z_]*\\)| \\(quick_check: .+\\)); restore a backup`));
  });

  it('passes the integrity check on a healthy database', async () => {
    const file = path.join(dir, 'healthy.db');
    openSqliteStorage(file).close();
    openSqliteStorage(file, { integrityCheck: true }).close();
  });

  it('read-only and must-exist opens never create a missing database', async () => {
    const file = path.join(dir, 'absent.db');
    expect(openError(file, { readonly: true }).message).toBe(`database not found: ${file}; pass --db with the database serve uses, or run storywire serve or poll first`);
    expect(openError(path.join(dir, 'no-folder', 'x.db'), { mustExist: true }).message).toMatch(/^database not found: .*its folder .* does not exist/);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'no-folder'))).toBe(false);
  });

  it('opens without migrating when asked, and read-only refuses writes', async () => {
    const file = path.join(dir, 'plain.db');
    // anySchema: without it a database with no migrations applied is refused by name (tests/cli/operator.test.ts).
    openSqliteStorage(file, { migrate: false, anySchema: true }).close();
    const ro = openSqliteStorage(file, { readonly: true, anySchema: true });
    try {
      const tables = ro.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all();
      expect(tables).toEqual([]);
      expect(() => ro.sqlite.exec('CREATE TABLE t (x)')).toThrow(/readonly/);
    } finally {
      await ro.close();
    }
  });

  it('names a database with no storywire tables as new, and one behind the migrations as older', async () => {
    const file = path.join(dir, 'empty.db');
    openSqliteStorage(file, { migrate: false, anySchema: true }).close();
    expect(openError(file, { readonly: true }).message).toMatch(/has no storywire tables yet \(0 of \d+ migrations applied\); run storywire serve or storywire poll once to create them$/);
    const migrated = path.join(dir, 'behind.db');
    const store = openSqliteStorage(migrated);
    store.sqlite.exec('DELETE FROM __drizzle_migrations');
    await store.close();
    expect(openError(migrated, { readonly: true }).message).toMatch(/was written by an older storywire \(0 of \d+ migrations applied\); run storywire serve or storywire poll once to migrate it$/);
  });

  describe('a database locked by another process', () => {
    let holder: ChildProcess;
    const file = () => path.join(dir, 'locked.db');
    beforeAll(async () => {
      // Another process takes the write lock of a rollback-journal database and keeps it until killed.
      const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('journal_mode = DELETE'); db.exec('CREATE TABLE IF NOT EXISTS t (x)'); db.exec('BEGIN EXCLUSIVE'); db.exec('INSERT INTO t VALUES (1)'); console.log('locked'); setInterval(() => {}, 1000);`;
      holder = spawn(process.execPath, ['-e', script, file()], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
    });
    afterAll(() => void holder.kill('SIGKILL'));

    it('gives up after the busy timeout and names the file', async () => {
      expect(openError(file(), { busyTimeoutMs: 200 }).message).toBe(`database ${file()} is locked by another process (waited 0.2 s); stop that process (another storywire?) or pass --db`);
    });
  });
});
