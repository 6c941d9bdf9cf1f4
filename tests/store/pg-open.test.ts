// Opening PostgreSQL: the operator's mistakes are one-line OperatorErrors naming the database (without its password)
// and the fix; a read-only command refuses an unmigrated database; backup names the pg_dump command; errors met while
// running read as sentences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { OperatorError } from '../../src/lib/operator-error.ts';
import { openStorage, type OpenOptions } from '../../src/store/index.ts';
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

  it('refuses an unmigrated database in a read-only command with the same sentence as SQLite, then migrates when asked', async () => {
    const e = await openError(database.url, { readonly: true });
    expect(e.message).toMatch(/was written by an older storywire \(0 of 1 migrations applied\); run storywire serve or storywire poll once to migrate it$/);
    expect(e.message).not.toContain(`:${new URL(database.url).password}@`);
    const store = await openStorage(database.url);
    expect(store.engine).toBe('postgres');
    await store.health();
    await store.close();
    await (await openStorage(database.url, { readonly: true })).close();
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
