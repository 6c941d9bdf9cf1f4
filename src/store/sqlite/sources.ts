// sources table: poll state per source (validators, failures, next poll).
import { asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './open.ts';
import { fetchHistory as history, sources } from './schema.ts';
import { bySource, failureRecord, successRecord } from '../history.ts';
import { FETCH_HISTORY_KEPT, type FailureUpdate, type FetchRecord, type SourceDefinition, type SourceRow, type SuccessUpdate } from '../types.ts';


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


/** Records a successful poll: clears the failure state, and keeps the fetch in the history. */
export function recordSuccess(store: SqliteDb, id: string, u: SuccessUpdate): void {
  const { changes } = store.db
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
  // A source not stored (never synced) has no state to update, and no history to keep.
  if (changes) recordFetch(store, successRecord(id, u));
}


/** Records a failed poll: counts it, schedules the retry, and keeps the fetch in the history. */
export function recordFailure(store: SqliteDb, id: string, u: FailureUpdate): void {
  const { changes } = store.db
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
  if (changes) recordFetch(store, failureRecord(id, u));
}

// Every poll records a fetch: its two statements are prepared once per connection (a drizzle statement is prepared
// anew on each call, which cost about as much as the statement itself).
const statements = new WeakMap<SqliteDb, { insert: Statement; prune: Statement }>();

function prepared(store: SqliteDb) {
  let s = statements.get(store);
  if (!s) {
    s = {
      insert: store.sqlite.prepare(`INSERT INTO fetch_history (source_id, fetched_at, outcome, http_status, error_kind, new_entries, updated_entries, duration_ms)
        VALUES (@sourceId, @fetchedAt, @outcome, @httpStatus, @errorKind, @newEntries, @updatedEntries, @durationMs)`),
      // Both the delete and its subquery walk the index (source_id, fetched_at DESC), whose entries carry the rowid,
      // over the source's rows only: at most FETCH_HISTORY_KEPT + 1, as the source never holds more before an insert.
      prune: store.sqlite.prepare(`DELETE FROM fetch_history WHERE source_id = @sourceId AND id NOT IN
        (SELECT id FROM fetch_history WHERE source_id = @sourceId ORDER BY fetched_at DESC, id DESC LIMIT ${FETCH_HISTORY_KEPT})`),
    };
    statements.set(store, s);
  }
  return s;
}

/** Adds a fetch to its source's history and deletes the source's fetches other than the newest FETCH_HISTORY_KEPT. */
function recordFetch(store: SqliteDb, r: FetchRecord): void {
  const s = prepared(store);
  s.insert.run(r);
  s.prune.run({ sourceId: r.sourceId });
}

// Every column of a fetch but its row id.
const { id: _id, ...historyColumns } = getTableColumns(history);

/** The recent fetches of the given sources (every source when omitted), each source's oldest first, in one query. */
export function fetchHistory(store: SqliteDb, sourceIds?: readonly string[]): Map<string, FetchRecord[]> {
  if (sourceIds && !sourceIds.length) return new Map();
  const rows = store.db
    .select(historyColumns)
    .from(history)
    .where(sourceIds ? inArray(history.sourceId, [...sourceIds]) : undefined)
    .orderBy(asc(history.sourceId), asc(history.fetchedAt), asc(history.id))
    .all();
  return bySource(rows);
}
