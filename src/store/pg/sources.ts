// sources table on PostgreSQL: poll state per source (validators, failures, next poll).
import { and, asc, desc, eq, getTableColumns, inArray, notInArray, sql } from 'drizzle-orm';
import { pgText } from './entries.ts';
import type { PgDb } from './open.ts';
import { fetchHistory as history, sources } from './schema.ts';
import { bySource, failureRecord, successRecord } from '../history.ts';
import { FETCH_HISTORY_KEPT, type FailureUpdate, type FetchRecord, type SourceDefinition, type SourceRow, type SuccessUpdate } from '../types.ts';

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

/** Records a successful poll: clears the failure state, and keeps the fetch in the history. */
export async function recordSuccess(db: PgDb, id: string, u: SuccessUpdate): Promise<void> {
  const update = db
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
  await Promise.all([update, ...fetchStatements(db, successRecord(id, u))]);
}

/** Records a failed poll: counts it, schedules the retry, and keeps the fetch in the history. */
export async function recordFailure(db: PgDb, id: string, u: FailureUpdate): Promise<void> {
  const update = db
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
  await Promise.all([update, ...fetchStatements(db, failureRecord(id, u))]);
}

/**
 * The statements that add a fetch to its source's history and delete the source's fetches other than the newest
 * FETCH_HISTORY_KEPT. The delete and its subquery walk the index (source_id, fetched_at DESC) over the source's rows
 * only: at most FETCH_HISTORY_KEPT + 1, as the source never holds more before this insert. They are lazy: the caller
 * sends them, in order, behind the source's update, on the one connection of its transaction, without waiting for an
 * answer in between (one round trip for the three, not three).
 */
function fetchStatements(db: PgDb, r: FetchRecord) {
  // Raw SQL: INSERT ... SELECT with typed parameters, so a source not stored (never synced) gets no row, with no need to
  // wait for the update's answer to know.
  const insert = db.execute(sql`
    INSERT INTO fetch_history (source_id, fetched_at, outcome, http_status, error_kind, new_entries, updated_entries, duration_ms)
    SELECT id, ${r.fetchedAt}::bigint, ${r.outcome}, ${r.httpStatus}::integer, ${pgText(r.errorKind)}, ${r.newEntries}::integer, ${r.updatedEntries}::integer, ${r.durationMs}::integer
    FROM sources WHERE id = ${r.sourceId}`);
  const kept = db.select({ id: history.id }).from(history).where(eq(history.sourceId, r.sourceId)).orderBy(desc(history.fetchedAt), desc(history.id)).limit(FETCH_HISTORY_KEPT);
  const prune = db.delete(history).where(and(eq(history.sourceId, r.sourceId), notInArray(history.id, kept)));
  return [insert, prune] as const;
}

// Every column of a fetch but its row id.
const { id: _id, ...historyColumns } = getTableColumns(history);

/** The recent fetches of the given sources (every source when omitted), each source's oldest first, in one query. */
export async function fetchHistory(db: PgDb, sourceIds?: readonly string[]): Promise<Map<string, FetchRecord[]>> {
  if (sourceIds && !sourceIds.length) return new Map();
  const rows = await db
    .select(historyColumns)
    .from(history)
    .where(sourceIds ? inArray(history.sourceId, [...sourceIds]) : undefined)
    // COLLATE "C": byte order, as SQLite's BINARY collation sorts the ids.
    .orderBy(sql`${history.sourceId} COLLATE "C"`, asc(history.fetchedAt), asc(history.id));
  return bySource(rows);
}
