// sources table: poll state per source (validators, failures, next poll).
import { eq, sql } from 'drizzle-orm';
import type { Store } from './db.ts';
import { sources, type SourceRow } from './schema.ts';

/** The configured facts the store keeps a copy of. */
export interface SourceDefinition {
  id: string;
  url: string;
  priority: number;
}

/** Creates rows for configured sources; a changed URL forgets the old URL's validators and redirect. */
export function syncSources(store: Store, defs: readonly SourceDefinition[]): void {
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
export function sourceState(store: Store, id: string): SourceRow | undefined {
  return store.db.select().from(sources).where(eq(sources.id, id)).get();
}

/** Every source's state with its number of stored entries. */
export function sourceStates(store: Store): (SourceRow & { entriesCount: number })[] {
  return store.db
    .select({ source: sources, entriesCount: sql<number>`(SELECT COUNT(*) FROM entries e WHERE e.source_id = "sources"."id")` })
    .from(sources)
    .orderBy(sources.id)
    .all()
    .map((r) => ({ ...r.source, entriesCount: r.entriesCount }));
}

/** What a successful fetch (200 or 304) leaves on the source. */
export interface SuccessUpdate {
  at: number;
  httpStatus: number;
  etag: string | null;
  lastModified: string | null;
  bodyHash?: string | null;
  nextFetchAt: number;
  permanentRedirect: string | null;
  feedTitle?: string | null;
  siteUrl?: string | null;
  ttlSeconds?: number | null;
}

/** Records a successful poll: clears the failure state. */
export function recordSuccess(store: Store, id: string, u: SuccessUpdate): void {
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

/** What a failed poll leaves on the source. */
export interface FailureUpdate {
  at: number;
  kind: string;
  message: string;
  httpStatus: number | null;
  nextFetchAt: number;
  permanentRedirect: string | null;
}

/** Records a failed poll: counts it and schedules the retry. */
export function recordFailure(store: Store, id: string, u: FailureUpdate): void {
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
