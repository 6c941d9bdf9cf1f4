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
  return { name, url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}
