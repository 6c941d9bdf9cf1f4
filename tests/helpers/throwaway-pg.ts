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

/** Creates a fresh, uniquely named (`prefix`_pid_random), empty database on the server of `serverUrl`. */
export async function createThrowawayDatabase(serverUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
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
