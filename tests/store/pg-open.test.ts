// Opening PostgreSQL: the operator's mistakes are one-line OperatorErrors naming the database (without its password)
// and the fix; a read-only command refuses an unmigrated database; backup names the pg_dump command; errors met while
// running read as sentences.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { OperatorError } from '../../src/lib/operator-error.ts';
import { sql } from 'drizzle-orm';
import { openStorage, type OpenOptions } from '../../src/store/index.ts';
import { openPg } from '../../src/store/pg/open.ts';
import { createTestDatabase, PG_SKIP_REASON, type TestDatabase } from '../helpers/pg.ts';

async function openError(url: string, opts: OpenOptions = {}): Promise<OperatorError> {
  try {
    await (await openStorage(url, opts)).close();
  } catch (e) {
    expect(e).toBeInstanceOf(OperatorError);
    expect((e as Error).message).not.toContain('\n');
    return e as OperatorError;
  }
  throw new Error(`opening ${url} succeeded`);
}

function withPath(url: string, edit: (u: URL) => void): string {
  const u = new URL(url);
  edit(u);
  return u.toString();
}

describe.skipIf(PG_SKIP_REASON !== null)(`opening PostgreSQL${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Runs `text` (one or more statements) on the test database over a connection of its own. */
  async function adminQuery(text: string): Promise<unknown[]> {
    const admin = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      return [...(await admin.unsafe(text))];
    } finally {
      await admin.end();
    }
  }

  it('refuses an unmigrated database in a read-only command with the same sentence as SQLite, then migrates when asked', async () => {
    const e = await openError(database.url, { readonly: true });
    expect(e.message).toMatch(/has no storywire tables yet \(0 of \d+ migrations applied\); run storywire serve or storywire poll once to create them$/);
    expect(e.message).not.toContain(`:${new URL(database.url).password}@`);
    // Refusing did not migrate: drizzle's bookkeeping schema was not even created.
    expect(await adminQuery(`SELECT nspname FROM pg_namespace WHERE nspname = 'drizzle'`)).toEqual([]);
    const store = await openStorage(database.url);
    expect(store.engine).toBe('postgres');
    await store.health();
    await store.close();
    await (await openStorage(database.url, { readonly: true })).close();
  });

  it('opens read-only sessions: the server refuses every write, and the error reads as a sentence', async () => {
    await (await openStorage(database.url)).close();
    const ro = await openStorage(database.url, { readonly: true });
    try {
      const write = await ro.syncSources([{ id: 'x', url: 'https://x.example/feed', priority: 0 }]).catch((x: unknown) => x);
      expect(ro.describeError(write)).toMatch(/ is read-only \(25006\), so this poll could not be saved/);
      await ro.health();
    } finally {
      await ro.close();
    }
    expect(await adminQuery('SELECT id FROM sources')).toEqual([]);
  });

  it('starts its sessions without parallel workers (a setting of 0 reaches the server)', async () => {
    const conn = await openPg(database.url);
    try {
      const [row] = await conn.db.execute<{ workers: string }>(sql`SELECT current_setting('max_parallel_workers_per_gather') AS workers`);
      expect(row!.workers).toBe('0');
    } finally {
      await conn.client.end();
    }
  });

  describe('the integrity check at start', () => {
    const integrityError = async () => (await openError(database.url, { integrityCheck: true })).message;

    it('passes on a healthy database, and names a missing or invalid index and a missing table', async () => {
      await (await openStorage(database.url, { integrityCheck: true })).close();
      await adminQuery('DROP INDEX entries_published_idx');
      // Without the check the damage goes unnoticed at open (pages would just be slow).
      await (await openStorage(database.url)).close();
      expect(await integrityError()).toMatch(/ failed its integrity check \(index entries_published_idx is missing\); restore a backup \(pg_restore\) or copy it into a new database with storywire copy-db$/);
      // A CREATE INDEX CONCURRENTLY that failed (here: not unique) leaves the index behind, marked invalid.
      await adminQuery(`INSERT INTO sources (id, url) VALUES ('s', 'https://s.example/feed')`);
      await adminQuery(`INSERT INTO entries (source_id, key, title, published_at, content_hash, first_seen_at, changed_at) VALUES ('s', 'a', 'A', 1, 'h', 1, 1), ('s', 'b', 'B', 1, 'h', 1, 1)`);
      await expect(adminQuery('CREATE UNIQUE INDEX CONCURRENTLY entries_published_idx ON entries (published_at)')).rejects.toThrow(/could not create unique index/);
      expect(await integrityError()).toMatch(/integrity check \(index entries_published_idx is invalid \(an interrupted CREATE INDEX CONCURRENTLY\?\)\)/);
      await adminQuery('DROP INDEX entries_published_idx; CREATE INDEX entries_published_idx ON entries (published_at DESC, id DESC)');
      await (await openStorage(database.url, { integrityCheck: true })).close();
      await adminQuery('DROP TABLE entries_search');
      expect(await integrityError()).toMatch(/integrity check \(table entries_search is missing; index entries_search_terms_idx is missing\)/);
    });

    it('names a schema at another migration than this storywire expects', async () => {
      await adminQuery('DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await (await openStorage(database.url)).close();
      await adminQuery(`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('later', 4102444800000)`);
      // The newest migration of drizzle/pg, read from its journal so that the next migration does not break this test.
      const journal = JSON.parse(fs.readFileSync('drizzle/pg/meta/_journal.json', 'utf8')) as { entries: { tag: string }[] };
      const newest = journal.entries.at(-1)!.tag;
      expect(await integrityError()).toContain(`integrity check (schema at migration 4102444800000 (unknown to this storywire), expected ${newest})`);
      await adminQuery('DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    });
  });

  it('names a missing database, a wrong password and a server that is not there', async () => {
    expect((await openError(withPath(database.url, (u) => (u.pathname = '/storywire_no_such_db')))).message).toMatch(/storywire_no_such_db does not exist \(3D000\); create it/);
    const bad = await openError(withPath(database.url, (u) => (u.password = 'wrong-password')));
    expect(bad.message).toMatch(/refused the user or password \(28P01\)/);
    expect(bad.message).not.toContain('wrong-password');
    expect((await openError(withPath(database.url, (u) => (u.port = '1')))).message).toMatch(/cannot connect to the PostgreSQL server \(ECONNREFUSED\)/);
  });

  it('refuses backup with the exact pg_dump command, without the password', async () => {
    const store = await openStorage(database.url);
    try {
      const location = new URL(database.url);
      location.password = '';
      await expect(store.backup('/tmp/x.dump')).rejects.toThrow(`back up PostgreSQL with: pg_dump --format=custom --file /tmp/x.dump ${location.toString()}`);
    } finally {
      await store.close();
    }
  });

  it('describes errors met while running as sentences, and leaves other errors alone', async () => {
    const store = await openStorage(database.url);
    try {
      const err = (code: string) => Object.assign(new Error('x'), { code });
      expect(store.describeError(err('53100'))).toMatch(/is full: the server's disk has no space left \(53100\), so this poll could not be saved/);
      expect(store.describeError(err('57P01'))).toMatch(/lost the connection to the PostgreSQL server \(57P01\)/);
      expect(store.describeError(err('08006'))).toMatch(/lost the connection/);
      expect(store.describeError(err('CONNECTION_CLOSED'))).toMatch(/lost the connection/);
      expect(store.describeError(new Error('plain'))).toBeNull();
      expect(store.describeError(err('ENOENT'))).toBeNull();
      // A real error from the server, wrapped by drizzle as it is when a statement fails.
      const admin = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const e = await admin`SELECT 1/0`.catch((x: unknown) => x);
        expect(store.describeError(new Error('Failed query', { cause: e }))).toMatch(/division by zero \(22012\)$/);
      } finally {
        await admin.end();
      }
    } finally {
      await store.close();
    }
  });
});
