// vitest globalSetup: before and after the whole run, drops the PostgreSQL test databases left by test processes
// that are gone (killed, crashed, timed out before their afterAll), so a run leaves no storywire_test_* behind.
import { dropOrphanedTestDatabases, PG_URL } from './pg.ts';

async function sweep(): Promise<void> {
  if (!PG_URL) return;
  try {
    const dropped = await dropOrphanedTestDatabases();
    if (dropped.length) console.warn(`dropped ${dropped.length} test database(s) left by test processes that ended early: ${dropped.join(', ')}`);
  } catch (e) {
    // The tests that need the server say why they fail; the sweep must not hide that behind its own error.
    console.warn(`could not look for leftover test databases: ${(e as Error).message}`);
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  await sweep();
  return sweep;
}
