// PostgreSQL for tests: a real server named by STORYWIRE_TEST_PG (a URL whose role may create databases; .ci/run
// sets one up on 127.0.0.1). Without it the PostgreSQL tests skip themselves and say why, once per file.
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-pg.ts';

/** The server's admin URL, or undefined when PostgreSQL tests cannot run here. */
export const PG_URL = process.env.STORYWIRE_TEST_PG || undefined;

/** Why the PostgreSQL tests are skipped, or null when they run. */
export const PG_SKIP_REASON = PG_URL ? null : 'STORYWIRE_TEST_PG is not set (postgres://user:password@127.0.0.1:5432/postgres of a role with CREATEDB; .ci/run sets it up)';

if (PG_SKIP_REASON) console.warn(`PostgreSQL tests skipped: ${PG_SKIP_REASON}`);

/** A database of its own for one test file: its URL, and drop() to remove it (closing clients first is the caller's). */
export type TestDatabase = ThrowawayDatabase;

/** Creates a fresh, uniquely named, empty database on the STORYWIRE_TEST_PG server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!PG_URL) throw new Error(`no PostgreSQL: ${PG_SKIP_REASON}`);
  return createThrowawayDatabase(PG_URL, 'storywire_test');
}
