// Store tests on every engine: eachEngine(name, fn) declares the same tests once for SQLite (":memory:") and, when
// STORYWIRE_TEST_PG names a server, once for PostgreSQL (one throwaway database per describe, emptied for each
// open()). Without STORYWIRE_TEST_PG the PostgreSQL variant is skipped and says why in its name.
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import postgres from 'postgres';
import { openStorage, type OpenOptions, type Storage } from '../../src/store/index.ts';
import { createTestDatabase, PG_SKIP_REASON, type TestDatabase } from './pg.ts';

export type EngineName = 'sqlite' | 'postgres';

export interface EngineContext {
  engine: EngineName;
  /** A new, empty, migrated database of this engine (closed after the test). */
  open(opts?: OpenOptions): Promise<Storage>;
  /** The database of the last open() once more, as it is (PostgreSQL only; SQLite's :memory: cannot be reopened). */
  reopen(opts?: OpenOptions): Promise<Storage>;
  /** The database URL of this describe (PostgreSQL only). */
  url(): string;
  /**
   * A new, empty database for code that opens its own (a runtime, the CLI): on PostgreSQL this describe's
   * database emptied and its URL; on SQLite `sqlitePath` (":memory:" unless a file is needed).
   */
  fresh(sqlitePath?: string): Promise<string>;
}

export const ENGINES: { engine: EngineName; skip: string | null }[] = [
  { engine: 'sqlite', skip: null },
  { engine: 'postgres', skip: PG_SKIP_REASON },
];

/** Declares `fn`'s tests once per engine, in a describe named `name [engine]`. */
export function eachEngine(name: string, fn: (ctx: EngineContext) => void): void {
  for (const { engine, skip } of ENGINES) {
    describe.skipIf(skip !== null)(`${name} [${engine}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
      fn(engineContext(engine));
    });
  }
}

/** The context of one engine; call inside a describe (it registers the hooks that create and drop the database). */
export function engineContext(engine: EngineName): EngineContext {
  let database: TestDatabase | undefined;
  const opened: Storage[] = [];
  beforeAll(async () => {
    if (engine === 'postgres') database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => {})));
  });
  afterAll(async () => {
    await database?.drop();
  });
  const track = (s: Storage) => (opened.push(s), s);
  return {
    engine,
    async open(opts) {
      if (engine === 'sqlite') return track(await openStorage(':memory:', opts));
      await emptyDatabase(database!.url);
      return track(await openStorage(database!.url, opts));
    },
    async reopen(opts) {
      if (engine === 'sqlite') throw new Error('reopen: a SQLite :memory: database cannot be reopened');
      return track(await openStorage(database!.url, opts));
    },
    url() {
      if (!database) throw new Error('url: PostgreSQL only');
      return database.url;
    },
    async fresh(sqlitePath = ':memory:') {
      if (engine === 'sqlite') return sqlitePath;
      await emptyDatabase(database!.url);
      return database!.url;
    },
  };
}

// Drops every table (and drizzle's record of migrations), so the next open starts from nothing, ids from 1.
async function emptyDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe('DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  } finally {
    await sql.end();
  }
}
