// Opens the PostgreSQL database named by a postgres:// URL through postgres.js, applies (or checks) the committed
// migrations of drizzle/pg, and turns every way opening can fail because of the operator's setup (server down, bad
// password, database missing) into an OperatorError: one line naming the database and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { OperatorError } from '../../lib/operator-error.ts';
import type { OpenOptions } from '../types.ts';
import * as schema from './schema.ts';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle/pg');

/** drizzle over the pool or over one transaction: every statement function takes either. */
export type PgDb = PgDatabase<PostgresJsQueryResultHKT, typeof schema>;

/** An open database: the postgres.js pool and drizzle over it. */
export interface PgConn {
  client: postgres.Sql;
  db: PostgresJsDatabase<typeof schema>;
  /** The URL without its password, for messages. */
  location: string;
}

/** The URL with its password removed: what messages and `pg_dump` commands show. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1@');
  }
}

/** Opens a pool to `url`, then migrates (or checks the migrations) as `opts` says. */
export async function openPg(url: string, opts: OpenOptions = {}): Promise<PgConn> {
  const location = redactUrl(url);
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    connect_timeout: Math.ceil((opts.busyTimeoutMs ?? 5000) / 1000) + 5,
    // No parallel workers: every query here reads a page or a batch, and starting workers for a walk that stops after
    // 20 rows cost more than the walk (330 ms against 9 ms for a search of 1M entries on a busy 2-core machine).
    connection: { max_parallel_workers_per_gather: 0 },
    // int8 (COUNT(*), the bigint millisecond columns read by raw SQL) as a JavaScript number, as SQLite answers.
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  });
  const db = drizzle(client, { schema });
  try {
    await db.execute(sql`SELECT 1`);
    if ((opts.migrate ?? true) && !opts.readonly) await migrate(db, { migrationsFolder: MIGRATIONS });
    else if (!opts.anySchema) await checkMigrated(db, location);
    return { client, db, location };
  } catch (e) {
    await client.end({ timeout: 1 }).catch(() => {});
    if (e instanceof OperatorError) throw e;
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    const known = describePgError(cause, location, 'open');
    const detail = String((cause as Error)?.message ?? cause).replace(/\s+/g, ' ').slice(0, 300);
    throw new OperatorError(known ?? `cannot open database ${location}: ${detail}`);
  }
}

// A command that does not migrate cannot read a database an older storywire wrote: say so instead of failing on a column.
async function checkMigrated(db: PgDb, location: string): Promise<void> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  // Raw SQL: to_regclass asks whether drizzle's bookkeeping table exists without failing when it does not.
  const [exists] = await db.execute<{ t: string | null }>(sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  const applied = exists?.t ? Number((await db.execute<{ n: number }>(sql`SELECT COUNT(*) AS n FROM drizzle.__drizzle_migrations`))[0]!.n) : 0;
  if (applied < journal.entries.length) {
    throw new OperatorError(`database ${location} was written by an older storywire (${applied} of ${journal.entries.length} migrations applied); run storywire serve or storywire poll once to migrate it`);
  }
}

/** postgres.js's own codes for a connection it lost or could not make, and Node's for a refused one. */
const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);

function errorCode(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/**
 * A sentence for a PostgreSQL error, naming the cause and the fix, or null when `e` is not a database error.
 * `when` is 'open' (opening, migrating) or 'run' (a poll's writes).
 */
export function describePgError(e: unknown, location: string, when: 'open' | 'run'): string | null {
  const code = errorCode(e);
  if (!code) return null;
  const lost = when === 'run' ? ', so this poll could not be saved; it is retried later' : '';
  if (CONNECTION_CODES.has(code) || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08'))
    return `database ${location}: ${when === 'open' ? 'cannot connect to' : 'lost the connection to'} the PostgreSQL server (${code})${lost}${when === 'open' ? '; check that it is running and the URL\'s host and port' : ''}`;
  if (code === '28P01' || code === '28000') return `database ${location}: the server refused the user or password (${code}); fix the user and password in --db (or STORYWIRE_DB)`;
  if (code === '3D000') return `database ${location} does not exist (${code}); create it (createdb) or fix the database name in --db`;
  if (code === '53100') return `database ${location} is full: the server's disk has no space left (${code})${when === 'run' ? ', so this poll could not be saved; free disk space, polling resumes by itself' : '; free disk space'}`;
  if (code === '53200' || code === '53300') return `database ${location}: the server is out of memory or connections (${code})${lost}`;
  if (code === '42501') return `database ${location}: permission denied (${code}); grant the user rights on the database and its tables`;
  if (code === '25006') return `database ${location} is read-only (${code})${lost}; point --db at the primary server`;
  if (code === '40001' || code === '40P01') return `database ${location}: a concurrent transaction conflicted (${code})${lost}`;
  if (/^[0-9A-Z]{5}$/.test(code) && e instanceof Error) return `database ${location}: ${e.message.replace(/\s+/g, ' ').slice(0, 300)} (${code})`;
  return null;
}
