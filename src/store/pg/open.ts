// Opens the PostgreSQL database named by a postgres:// URL through postgres.js, applies (or checks) the committed
// migrations of drizzle/pg, and turns every way opening can fail because of the operator's setup (server down, bad
// password, database missing) into an OperatorError: one line naming the database and the fix.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { getTableConfig, PgTable, type PgDatabase } from 'drizzle-orm/pg-core';
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { OperatorError } from '../../lib/operator-error.ts';
import { notMigrated } from '../not-migrated.ts';
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
  const connectSeconds = Math.ceil((opts.busyTimeoutMs ?? 5000) / 1000) + 5;
  const client = postgres(url, {
    max: 10,
    onnotice: () => {},
    connect_timeout: connectSeconds,
    connection: {
      // No parallel workers: every query here reads a page or a batch, and starting workers for a walk that stops after
      // 20 rows cost more than the walk (330 ms against 9 ms for a search of 1M entries on a busy 2-core machine).
      // A string: postgres.js leaves out of the startup message every setting whose value is falsy, so the number 0
      // was never sent and the server's default (2 workers) applied.
      max_parallel_workers_per_gather: '0',
      // A read-only command's sessions refuse writes on the server, whatever a bug in storywire might try.
      ...(opts.readonly ? { default_transaction_read_only: true } : {}),
    },
    // int8 (COUNT(*), the bigint millisecond columns read by raw SQL) as a JavaScript number, as SQLite answers.
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  });
  const db = drizzle(client, { schema });
  try {
    await answerWithin(db.execute(sql`SELECT 1`), connectSeconds);
    if ((opts.migrate ?? true) && !opts.readonly) await migrateOnce(client, db);
    else if (!opts.anySchema) await checkMigrated(db, location);
    if (opts.integrityCheck) await checkIntegrity(db, location);
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

/** The advisory lock key migrations are taken under: any fixed bigint, the same in every storywire process. */
const MIGRATION_LOCK = 0x73746f7279; // "story"

// serve, poll and a worker may start at once against one fresh database: drizzle's migrator reads what is applied, then
// applies the rest, so two at once would both create the tables. A session-level advisory lock held on one dedicated
// connection makes the others wait; the server releases it itself should this process die while migrating.
async function migrateOnce(client: postgres.Sql, db: PostgresJsDatabase<typeof schema>): Promise<void> {
  const lockConn = await client.reserve();
  try {
    await lockConn`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS });
    } finally {
      await lockConn`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    lockConn.release();
  }
}

/** The migrations drizzle/pg holds, as drizzle records them once applied (created_at = the journal's `when`). */
function journal(): { when: number; tag: string }[] {
  return (JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] }).entries;
}

// postgres.js's connect_timeout does not cover a server that accepts the connection and then closes it without
// speaking PostgreSQL (--db naming the port of another service, e.g. a web server): it reconnects at once, forever.
// The first statement gets the same deadline, failing like a connection that timed out.
async function answerWithin<T>(query: PromiseLike<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no PostgreSQL answer within ${seconds} s`), { code: 'CONNECT_TIMEOUT' })), seconds * 1000);
  });
  try {
    return await Promise.race([query, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// A command that does not migrate cannot read a database an older storywire wrote: say so instead of failing on a column.
async function checkMigrated(db: PgDb, location: string): Promise<void> {
  const entries = journal();
  // Raw SQL: to_regclass asks whether drizzle's bookkeeping table exists without failing when it does not.
  const [exists] = await db.execute<{ t: string | null }>(sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  const applied = exists?.t ? Number((await db.execute<{ n: number }>(sql`SELECT COUNT(*) AS n FROM drizzle.__drizzle_migrations`))[0]!.n) : 0;
  if (applied < entries.length) {
    // Raw SQL: to_regclass, as above, for storywire's own first table.
    const [entriesTable] = await db.execute<{ t: string | null }>(sql`SELECT to_regclass('public.entries')::text AS t`);
    throw notMigrated(location, applied, entries.length, Boolean(entriesTable?.t));
  }
}

// What SQLite's quick_check is at start, for a server that keeps its own pages consistent: the damage an operator can do
// to the schema (a dropped or half-built index, a dropped table, a restore of the wrong version) is found in a few
// catalogue reads and reported before serving, instead of as slow or failing requests later.
async function checkIntegrity(db: PgDb, location: string): Promise<void> {
  const problems: string[] = [];
  // Raw SQL: drizzle's bookkeeping table and the system catalogues are outside the drizzle schema.
  const applied = (await db.execute<{ created_at: number }>(sql`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at`)).map((r) => Number(r.created_at));
  const expected = journal();
  const last = applied[applied.length - 1];
  if (last !== expected[expected.length - 1]!.when) {
    const known = expected.find((e) => e.when === last);
    problems.push(`schema at migration ${known ? known.tag : last === undefined ? '(none)' : `${last} (unknown to this storywire)`}, expected ${expected[expected.length - 1]!.tag}`);
  }
  const tables = new Set((await db.execute<{ name: string }>(sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`)).map((r) => r.name));
  const indexes = new Map(
    (await db.execute<{ name: string; usable: boolean }>(sql`
      SELECT c.relname AS name, i.indisvalid AND i.indisready AS usable FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()`)).map((r) => [r.name, r.usable]),
  );
  for (const table of Object.values(schema).filter((t) => t instanceof PgTable)) {
    const config = getTableConfig(table);
    if (!tables.has(config.name)) problems.push(`table ${config.name} is missing`);
    for (const index of config.indexes) {
      const name = index.config.name!;
      if (!indexes.has(name)) problems.push(`index ${name} is missing`);
      else if (!indexes.get(name)) problems.push(`index ${name} is invalid (an interrupted CREATE INDEX CONCURRENTLY?)`);
    }
  }
  if (problems.length) throw new OperatorError(`database ${location} failed its integrity check (${problems.join('; ')}); restore a backup (pg_restore) or copy it into a new database with storywire copy-db`);
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
