// sources table: poll state per source (validators, failures, next poll).
import { eq, sql } from 'drizzle-orm';
import type { SqliteDb } from './open.ts';
import { sources } from './schema.ts';
import type { FailureUpdate, SourceDefinition, SourceRow, SuccessUpdate } from '../types.ts';


/** Creates rows for configured sources; a changed URL forgets the old URL's validators and redirect. */
export function syncSources(store: SqliteDb, defs: readonly SourceDefinition[]): void {
  // Raw SQL: ON CONFLICT with CASE on the old row's url (keep validators only for an unchanged URL), in one statement.
  const upsert = store.sqlite.prepare(`
    INSERT INTO sources (id, url, priority) VALUES (?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET
      priority = excluded.priority,
      etag = CASE WHEN sources.url = excluded.url THEN sources.etag END,
      last_modified = CASE WHEN sources.url = excluded.url THEN sources.last_modified END,
      body_hash = CASE WHEN sources.url = excluded.url THEN sources.body_hash END,
      permanent_redirect = CASE WHEN sources.url = excluded.url THEN sources.permanent_redirect END,
      next_fetch_at = CASE WHEN sources.url = excluded.url THEN sources.next_fetch_at END,
      url = excluded.url`);
  store.sqlite.transaction(() => defs.forEach((d) => upsert.run(d.id, d.url, d.priority)))();
}

/** The stored state of one source. */
export function sourceState(store: SqliteDb, id: string): SourceRow | undefined {
  return store.db.select().from(sources).where(eq(sources.id, id)).get();
}

/** Every source's state with its number of stored entries. */
export function sourceStates(store: SqliteDb): (SourceRow & { entriesCount: number })[] {
  return store.db
    .select({ source: sources, entriesCount: sql<number>`(SELECT COUNT(*) FROM entries e WHERE e.source_id = "sources"."id" AND e.story_id IS NOT NULL)` })
    .from(sources)
    .orderBy(sources.id)
    .all()
    .map((r) => ({ ...r.source, entriesCount: r.entriesCount }));
}


/** Records a successful poll: clears the failure state. */
export function recordSuccess(store: SqliteDb, id: string, u: SuccessUpdate): void {
  store.db
    .update(sources)
    .set({
      status: 'ok',
      lastFetchedAt: u.at,
      lastSuccessAt: u.at,
      lastHttpStatus: u.httpStatus,
      etag: u.etag,
      lastModified: u.lastModified,
      ...(u.bodyHash !== undefined ? { bodyHash: u.bodyHash } : {}),
      ...(u.feedTitle !== undefined ? { feedTitle: u.feedTitle, siteUrl: u.siteUrl ?? null, ttlSeconds: u.ttlSeconds ?? null } : {}),
      consecutiveFailures: 0,
      lastErrorKind: null,
      lastError: null,
      nextFetchAt: u.nextFetchAt,
      ...(u.permanentRedirect ? { permanentRedirect: u.permanentRedirect } : {}),
    })
    .where(eq(sources.id, id))
    .run();
}


/** Records a failed poll: counts it and schedules the retry. */
export function recordFailure(store: SqliteDb, id: string, u: FailureUpdate): void {
  store.db
    .update(sources)
    .set({
      status: 'error',
      lastFetchedAt: u.at,
      lastHttpStatus: u.httpStatus,
      lastErrorKind: u.kind,
      lastError: u.message,
      consecutiveFailures: sql`${sources.consecutiveFailures} + 1`,
      nextFetchAt: u.nextFetchAt,
      ...(u.permanentRedirect ? { permanentRedirect: u.permanentRedirect } : {}),
    })
    .where(eq(sources.id, id))
    .run();
}
