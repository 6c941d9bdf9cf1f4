// A throwaway PostgreSQL database on a server the caller names: shared by the tests (tests/helpers/pg.ts) and the
// benches, so it must not import vitest.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** A database of its own: its URL, and drop() to remove it (closing clients first is the caller's). */
export interface ThrowawayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named (`prefix`_pid_random), empty database on the server of `serverUrl`; `icuLocale`
 * (e.g. 'en-US') gives it that ICU collation as its default, as many installations have, instead of the server's.
 */
export async function createThrowawayDatabase(serverUrl: string, prefix: string, opts: { icuLocale?: string } = {}): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const locale = opts.icuLocale ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${opts.icuLocale.replace(/'/g, '')}'` : '';
  await onServer(serverUrl, `CREATE DATABASE "${name}"${locale}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropDatabase(serverUrl, name) };
}

// DROP DATABASE ... WITH (FORCE) fails with 42501 ("must be a member of the role whose process is being terminated")
// when a backend of no role, an autovacuum worker, is in the database and the test role is not a superuser. The worker
// leaves within moments, so the drop is tried again for a few seconds.
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (e) {
      if ((e as { code?: string }).code !== '42501' || attempt >= 20) throw e;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}
