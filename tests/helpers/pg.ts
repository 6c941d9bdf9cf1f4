// PostgreSQL for tests: a real server named by STORYWIRE_TEST_PG (a URL whose role may create databases; .ci/run
// sets one up on 127.0.0.1). Without it the PostgreSQL tests skip themselves and say why, once per file.
import postgres from 'postgres';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-pg.ts';

/** The server's admin URL, or undefined when PostgreSQL tests cannot run here. */
export const PG_URL = process.env.STORYWIRE_TEST_PG || undefined;

/** Why the PostgreSQL tests are skipped, or null when they run. */
export const PG_SKIP_REASON = PG_URL ? null : 'STORYWIRE_TEST_PG is not set (postgres://user:password@127.0.0.1:5432/postgres of a role with CREATEDB; .ci/run sets it up)';

if (PG_SKIP_REASON) console.warn(`PostgreSQL tests skipped: ${PG_SKIP_REASON}`);

/** A database of its own for one test file: its URL, and drop() to remove it (closing clients first is the caller's). */
export type TestDatabase = ThrowawayDatabase;

// A test database is named after the process that made it: storywire_test_<pid>_<random>.
const TEST_DATABASE = /^storywire_test_(\d+)_[0-9a-f]+$/;

/**
 * Creates a fresh, uniquely named, empty database on the STORYWIRE_TEST_PG server; `icuLocale` (e.g. 'en-US') gives it
 * that ICU collation as its default, as many installations have, instead of the server's.
 */
export async function createTestDatabase(opts: { icuLocale?: string } = {}): Promise<TestDatabase> {
  if (!PG_URL) throw new Error(`no PostgreSQL: ${PG_SKIP_REASON}`);
  return createThrowawayDatabase(PG_URL, 'storywire_test', opts);
}

/**
 * Drops the test databases whose process is gone: a test process that crashed or was killed never ran the afterAll
 * that drops its own. Databases of live processes (another test run under way) are left alone. Returns their names.
 */
export async function dropOrphanedTestDatabases(): Promise<string[]> {
  if (!PG_URL) return [];
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE 'storywire\_test\_%'`;
    const orphans = rows.map((r) => r.datname).filter((name) => {
      const pid = TEST_DATABASE.exec(name)?.[1];
      return pid !== undefined && !processAlive(Number(pid));
    });
    for (const name of orphans) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    return orphans;
  } finally {
    await admin.end();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
