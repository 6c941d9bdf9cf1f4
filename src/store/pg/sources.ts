// sources table on PostgreSQL: poll state per source (validators, failures, next poll).
import { eq, sql } from 'drizzle-orm';
import { pgText } from './entries.ts';
import type { PgDb } from './open.ts';
import { sources } from './schema.ts';
import type { FailureUpdate, SourceDefinition, SourceRow, SuccessUpdate } from '../types.ts';

/** Creates rows for configured sources; a changed URL forgets the old URL's validators and redirect. */
export async function syncSources(db: PgDb, defs: readonly SourceDefinition[]): Promise<void> {
  if (!defs.length) return;
  await db.transaction(async (tx) => {
    for (const d of defs) {
      // Raw SQL: ON CONFLICT with CASE on the old row's url (keep validators only for an unchanged URL), in one statement.
      await tx.execute(sql`
        INSERT INTO sources (id, url, priority) VALUES (${d.id}, ${d.url}, ${d.priority})
        ON CONFLICT (id) DO UPDATE SET
          priority = excluded.priority,
          etag = CASE WHEN sources.url = excluded.url THEN sources.etag END,
          last_modified = CASE WHEN sources.url = excluded.url THEN sources.last_modified END,
          body_hash = CASE WHEN sources.url = excluded.url THEN sources.body_hash END,
          permanent_redirect = CASE WHEN sources.url = excluded.url THEN sources.permanent_redirect END,
          next_fetch_at = CASE WHEN sources.url = excluded.url THEN sources.next_fetch_at END,
          url = excluded.url`);
    }
  });
}

/** The stored state of one source. */
export async function sourceState(db: PgDb, id: string): Promise<SourceRow | undefined> {
  const [row] = await db.select().from(sources).where(eq(sources.id, id));
  return row as SourceRow | undefined;
}

/** Every source's state with its number of stored entries, by id. */
export async function sourceStates(db: PgDb): Promise<(SourceRow & { entriesCount: number })[]> {
  const rows = await db
    .select({ source: sources, entriesCount: sql<number>`(SELECT COUNT(*) FROM entries e WHERE e.source_id = "sources"."id" AND e.story_id IS NOT NULL)`.mapWith(Number) })
    .from(sources)
    // COLLATE "C": byte order, as SQLite's BINARY collation sorts the ids.
    .orderBy(sql`${sources.id} COLLATE "C"`);
  return rows.map((r) => ({ ...(r.source as SourceRow), entriesCount: r.entriesCount }));
}

/** Records a successful poll: clears the failure state. */
export async function recordSuccess(db: PgDb, id: string, u: SuccessUpdate): Promise<void> {
  await db
    .update(sources)
    .set({
      status: 'ok',
      lastFetchedAt: u.at,
      lastSuccessAt: u.at,
      lastHttpStatus: u.httpStatus,
      etag: u.etag,
      lastModified: u.lastModified,
      ...(u.bodyHash !== undefined ? { bodyHash: u.bodyHash } : {}),
      ...(u.feedTitle !== undefined ? { feedTitle: pgText(u.feedTitle ?? null), siteUrl: pgText(u.siteUrl ?? null), ttlSeconds: u.ttlSeconds ?? null } : {}),
      consecutiveFailures: 0,
      lastErrorKind: null,
      lastError: null,
      nextFetchAt: u.nextFetchAt,
      ...(u.permanentRedirect ? { permanentRedirect: u.permanentRedirect } : {}),
    })
    .where(eq(sources.id, id));
}

/** Records a failed poll: counts it and schedules the retry. */
export async function recordFailure(db: PgDb, id: string, u: FailureUpdate): Promise<void> {
  await db
    .update(sources)
    .set({
      status: 'error',
      lastFetchedAt: u.at,
      lastHttpStatus: u.httpStatus,
      lastErrorKind: u.kind,
      lastError: pgText(u.message),
      consecutiveFailures: sql`${sources.consecutiveFailures} + 1`,
      nextFetchAt: u.nextFetchAt,
      ...(u.permanentRedirect ? { permanentRedirect: u.permanentRedirect } : {}),
    })
    .where(eq(sources.id, id));
}
