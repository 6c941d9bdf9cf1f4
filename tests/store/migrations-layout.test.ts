// The SQLite migrations moved from drizzle/ to drizzle/sqlite/ unchanged. drizzle's migrator records each applied
// migration's SQL hash and journal time in __drizzle_migrations, and applies what is newer than the last recorded
// time: a database migrated before the move must read as fully migrated, with nothing applied again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite/open.ts';

// __drizzle_migrations of a database that storywire migrated from drizzle/ before the move (046d87a).
const BEFORE_THE_MOVE = [
  { hash: '8c75b276498421b3769f8c206d8473c1547430fe482d81ad58581fcca933bca3', created_at: 1795469392347 },
  { hash: 'dfe0d2bcae81d200766aa53cc3e17ceea95630a654c6e668d2a5a430da9bf201', created_at: 1795469842500 },
  { hash: 'd9f5b99cee3916d1ab6554f244b12df6111bcd37ac87bc5c6dc94af6d6716064', created_at: 1796162418232 },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-layout-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('drizzle/sqlite', () => {
  it('holds the migrations a database migrated before the move recorded: same SQL hashes, same journal times', () => {
    const files = readMigrationFiles({ migrationsFolder: 'drizzle/sqlite' });
    expect(files.slice(0, BEFORE_THE_MOVE.length).map((m) => ({ hash: m.hash, created_at: m.folderMillis }))).toEqual(BEFORE_THE_MOVE);
  });

  it('leaves a database migrated before the move as it is, and read-only commands accept it', () => {
    const file = path.join(dir, 'before.db');
    // The database as the previous layout left it: the schema, and the migrator's records of the three migrations.
    const raw = new Database(file);
    for (const m of readMigrationFiles({ migrationsFolder: 'drizzle/sqlite' }).slice(0, BEFORE_THE_MOVE.length)) for (const stmt of m.sql) raw.exec(stmt);
    raw.exec('CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    const record = raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)');
    for (const m of BEFORE_THE_MOVE) record.run(m.hash, m.created_at);
    raw.prepare("INSERT INTO sources (id, url) VALUES ('s', 'https://example.org/feed')").run();
    raw.close();

    openStore(file).close(); // migrates: only the migrations after the move run (a rerun of the others would fail on CREATE TABLE)
    const ro = openStore(file, { readonly: true });
    try {
      const recorded = ro.sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all();
      expect(recorded.slice(0, BEFORE_THE_MOVE.length)).toEqual(BEFORE_THE_MOVE);
      expect(recorded).toHaveLength(readMigrationFiles({ migrationsFolder: 'drizzle/sqlite' }).length);
      expect(ro.sqlite.prepare('SELECT id FROM sources').pluck().all()).toEqual(['s']);
    } finally {
      ro.close();
    }
  });
});
