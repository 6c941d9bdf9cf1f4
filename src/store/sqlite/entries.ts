// entries table: items of sources, deduplicated per (source, key) by the unique index.
import { and, eq, gte, inArray, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { EntryInput } from '../../model.ts';
import type { SqliteDb } from './open.ts';
import { entries } from './schema.ts';
import { newestFirst, olderThan } from './listing.ts';
import type { ClusteringRow, EntryFilter, EntryRow, NewEntryOutcome, StoriedRow, UpsertOutcome } from '../types.ts';
import { entryMatches } from './search.ts';


/** The entries columns under their EntryRow names, for hand-written hot-path statements. */
const ENTRY_COLUMNS = `id, source_id AS sourceId, key, guid, title, link, canonical_url AS canonicalUrl, summary, content, author,
  categories, published_at AS publishedAt, updated_at AS updatedAt, original_date AS originalDate, content_hash AS contentHash,
  image_url AS imageUrl, image_width AS imageWidth, image_height AS imageHeight, first_seen_at AS firstSeenAt, changed_at AS changedAt, story_id AS storyId, pending_seq AS pendingSeq`;

const statements = new WeakMap<SqliteDb, { find: Statement; insert: Statement; update: Statement; queue: Statement; assign: Statement; ofStories: Statement; between: Statement; byUrl: Statement }>();

function prepared(store: SqliteDb) {
  let s = statements.get(store);
  if (!s) {
    s = {
      // An upsert is three statements, not one INSERT ... ON CONFLICT DO UPDATE ... RETURNING: that one costs about
      // three times as much in SQLite (RETURNING stages its rows), and within the transaction nothing can come between.
      find: store.sqlite.prepare(`SELECT id, content_hash AS contentHash, story_id AS storyId, published_at AS publishedAt
        FROM entries WHERE source_id = ? AND key = ?`),
      insert: store.sqlite.prepare(`
        INSERT INTO entries (source_id, key, guid, title, link, canonical_url, summary, content, author, categories,
          published_at, updated_at, original_date, content_hash, image_url, image_width, image_height, first_seen_at, changed_at, story_id)
        VALUES (@sourceId, @key, @guid, @title, @link, @canonicalUrl, @summary, @content, @author, @categories,
          @publishedAt, @updatedAt, @originalDate, @contentHash, @imageUrl, @imageWidth, @imageHeight, @now, @now, NULL)`),
      // An edited item (new content hash) updates in place and keeps first_seen_at, published_at and its story.
      update: store.sqlite.prepare(`
        UPDATE entries SET guid = @guid, title = @title, link = @link, canonical_url = @canonicalUrl, summary = @summary,
          content = @content, author = @author, categories = @categories, updated_at = COALESCE(@updatedAt, @now),
          content_hash = @contentHash, image_url = @imageUrl, image_width = @imageWidth, image_height = @imageHeight, changed_at = @now
        WHERE id = @id`),
      // Queues an entry for the clustering leader, after every entry waiting (an edit of a waiting one moves it last).
      queue: store.sqlite.prepare('UPDATE entries SET pending_seq = (SELECT COALESCE(MAX(pending_seq), 0) + 1 FROM entries) WHERE id = ?'),
      assign: store.sqlite.prepare('UPDATE entries SET story_id = ? WHERE id = ?'),
      // Every API answer and feed render reads this: one statement for any number of ids (a JSON array).
      ofStories: store.sqlite.prepare(`SELECT ${ENTRY_COLUMNS} FROM entries
        WHERE story_id IN (SELECT value FROM json_each(?)) ORDER BY published_at, id`),
      // Clustering reads these once per entry decided: prepared once, on the published_at and canonical_url indexes.
      between: store.sqlite.prepare(`SELECT id AS entryId, source_id AS sourceId, title, summary, canonical_url AS canonicalUrl,
        published_at AS publishedAt, story_id AS storyId FROM entries
        WHERE published_at BETWEEN ? AND ? AND story_id IS NOT NULL ORDER BY published_at, id`),
      byUrl: store.sqlite.prepare(`SELECT story_id AS storyId FROM entries
        WHERE canonical_url = ? AND id <> ? AND story_id IS NOT NULL ORDER BY id LIMIT 1`),
    };
    statements.set(store, s);
  }
  return s;
}

/** Inserts a new entry (without a story yet) or updates an edited one; unchanged entries are left alone. */
export function upsertEntry(store: SqliteDb, sourceId: string, e: EntryInput, now: number, pending = false): UpsertOutcome {
  const s = prepared(store);
  const row = findEntry(store, sourceId, e.key);
  if (row && row.contentHash === e.contentHash) return { kind: 'unchanged' };
  if (!row) return { kind: 'inserted', id: insertEntry(store, sourceId, e, now, pending) };
  s.update.run({ ...entryValues(sourceId, e, now), id: row.id });
  if (pending) s.queue.run(row.id);
  return row.storyId === null ? { kind: 'inserted', id: row.id } : { kind: 'updated', id: row.id, storyId: row.storyId, publishedAt: row.publishedAt };
}

/** Inserts the entries whose key the source has not stored, in order; a prepared statement each costs no round trip. */
export function insertNewEntries(store: SqliteDb, sourceId: string, batch: readonly EntryInput[], now: number, pending = false): NewEntryOutcome[] {
  const seen = new Set<string>();
  return batch.map((e) => {
    const first = !seen.has(e.key);
    seen.add(e.key);
    const row = first ? findEntry(store, sourceId, e.key) : undefined;
    if (row) return row.contentHash === e.contentHash ? 'unchanged' : 'stored';
    return first ? insertEntry(store, sourceId, e, now, pending) : 'stored';
  });
}

function findEntry(store: SqliteDb, sourceId: string, key: string) {
  return prepared(store).find.get(sourceId, key) as { id: number; contentHash: string; storyId: number | null; publishedAt: number } | undefined;
}

function insertEntry(store: SqliteDb, sourceId: string, e: EntryInput, now: number, pending: boolean): number {
  const id = Number(prepared(store).insert.run(entryValues(sourceId, e, now)).lastInsertRowid);
  if (pending) prepared(store).queue.run(id);
  return id;
}

function entryValues(sourceId: string, e: EntryInput, now: number) {
  return {
    sourceId,
    key: e.key,
    guid: e.guid,
    title: e.title,
    link: e.link,
    canonicalUrl: e.canonicalUrl,
    summary: e.summary,
    content: e.content,
    author: e.author,
    categories: JSON.stringify(e.categories),
    publishedAt: e.publishedAt,
    updatedAt: e.updatedAt,
    originalDate: e.originalDate,
    contentHash: e.contentHash,
    imageUrl: e.image?.url ?? null,
    imageWidth: e.image?.width ?? null,
    imageHeight: e.image?.height ?? null,
    now,
  };
}

/** Puts an entry into a story. */
export function assignStory(store: SqliteDb, entryId: number, storyId: number): void {
  prepared(store).assign.run(storyId, entryId);
}

const CLUSTERING_FIELDS = {
  entryId: entries.id,
  sourceId: entries.sourceId,
  title: entries.title,
  summary: entries.summary,
  canonicalUrl: entries.canonicalUrl,
  publishedAt: entries.publishedAt,
  storyId: entries.storyId,
};

/** The fields clustering reads, for entries published at or after `since`, oldest first. */
export function clusteringInputs(store: SqliteDb, since: number, until = Number.MAX_SAFE_INTEGER): ClusteringRow[] {
  return store.db
    .select(CLUSTERING_FIELDS)
    .from(entries)
    .where(and(gte(entries.publishedAt, since), lte(entries.publishedAt, until)))
    .orderBy(entries.publishedAt, entries.id)
    .all();
}

/** The fields clustering reads of every entry, in arrival (id) order: what recluster replays. */
export function clusteringInputsByArrival(store: SqliteDb): ClusteringRow[] {
  return store.db.select(CLUSTERING_FIELDS).from(entries).orderBy(entries.id).all();
}

/** Entries that have a story, published in [from, to], oldest first: the clustering window. */
export function storiedEntriesBetween(store: SqliteDb, from: number, to: number): StoriedRow[] {
  const s = prepared(store);
  return s.between.all(from, to) as StoriedRow[];
}

/** The story of the first stored entry (lowest id) with this canonical URL, other than `exceptEntryId`. */
export function storyOfCanonicalUrl(store: SqliteDb, url: string, exceptEntryId: number): number | null {
  const row = prepared(store).byUrl.get(url, exceptEntryId) as { storyId: number } | undefined;
  return row?.storyId ?? null;
}

/** For each canonical URL that has a stored story: the story of its first stored entry (lowest id). */
export function storiesOfCanonicalUrls(store: SqliteDb, urls: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const url of new Set(urls)) {
    // Entry ids start at 1: no entry is left out.
    const storyId = storyOfCanonicalUrl(store, url, 0);
    if (storyId !== null) found.set(url, storyId);
  }
  return found;
}

/** Whether some stored entry's picture is exactly this URL (the partial index on image_url answers it). */
export function hasEntryImage(store: SqliteDb, url: string): boolean {
  return store.db.select({ id: entries.id }).from(entries).where(eq(entries.imageUrl, url)).limit(1).all().length > 0;
}

/** Entries newest first, by keyset. */
export function listEntries(store: SqliteDb, f: EntryFilter): EntryRow[] {
  const where: (SQL | undefined)[] = [
    // An entry waiting for the clustering leader is shown once it has its story, never half-way.
    isNotNull(entries.storyId),
    f.sourceIds?.length ? inArray(entries.sourceId, f.sourceIds) : undefined,
    f.terms ? entryMatches(store, f.terms, entries.id, f.limit) : undefined,
    f.since !== undefined ? gte(entries.publishedAt, f.since) : undefined,
    f.until !== undefined ? lte(entries.publishedAt, f.until) : undefined,
    f.after ? olderThan(entries, f.after) : undefined,
  ];
  return store.db
    .select()
    .from(entries)
    .where(and(...where))
    .orderBy(...newestFirst(entries))
    .limit(f.limit)
    .all();
}

/** Entries of the given stories, oldest first within each story. */
export function entriesOfStories(store: SqliteDb, storyIds: number[]): EntryRow[] {
  if (!storyIds.length) return [];
  return prepared(store).ofStories.all(JSON.stringify(storyIds)) as EntryRow[];
}
