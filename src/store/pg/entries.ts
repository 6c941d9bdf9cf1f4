// entries table on PostgreSQL: items of sources, deduplicated per (source, key) by the unique index.
import { and, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { EntryInput } from '../../model.ts';
import type { ClusteringRow, EntryFilter, EntryRow, StoriedRow, UpsertOutcome } from '../types.ts';
import { intArray, newestFirst, olderThan } from './listing.ts';
import type { PgDb } from './open.ts';
import { entries } from './schema.ts';
import { entryMatches } from './search.ts';

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): it is dropped before writing. Publishing removes control
 * characters from whatever is stored, so the API and the feeds answer the same on both engines.
 */
export function pgText<T extends string | null>(s: T): T {
  return (s !== null && s.includes('\u0000') ? s.replace(/\u0000/g, '') : s) as T;
}

/** Inserts a new entry (without a story yet) or updates an edited one; unchanged entries are left alone. */
export async function upsertEntry(db: PgDb, sourceId: string, e: EntryInput, now: number): Promise<UpsertOutcome> {
  // Raw SQL: one round trip that finds the entry, updates it when its content changed, or inserts it when it is new.
  // Not INSERT ... ON CONFLICT: that takes an id from the sequence for every item seen again, so every poll would burn
  // ids and the ids would no longer be SQLite's (which looks up, then inserts or updates). An edited item (new content
  // hash) updates in place and keeps first_seen_at, published_at and its story.
  const [row] = await db.execute<{ id: number; storyId: number | null; publishedAt: number }>(sql`
    WITH found AS (SELECT id, content_hash FROM entries WHERE source_id = ${sourceId} AND key = ${pgText(e.key)}),
    changed AS (
      UPDATE entries SET
        guid = ${pgText(e.guid)}, title = ${pgText(e.title)}, link = ${pgText(e.link)}, canonical_url = ${pgText(e.canonicalUrl)},
        summary = ${pgText(e.summary)}, content = ${pgText(e.content)}, author = ${pgText(e.author)}, categories = ${pgText(JSON.stringify(e.categories))},
        updated_at = COALESCE(${e.updatedAt}::bigint, ${now}::bigint), content_hash = ${pgText(e.contentHash)}, changed_at = ${now}
      FROM found WHERE entries.id = found.id AND found.content_hash IS DISTINCT FROM ${pgText(e.contentHash)}
      RETURNING entries.id, entries.story_id AS "storyId", entries.published_at AS "publishedAt"),
    added AS (
      INSERT INTO entries (source_id, key, guid, title, link, canonical_url, summary, content, author, categories,
        published_at, updated_at, original_date, content_hash, first_seen_at, changed_at, story_id)
      SELECT ${sourceId}, ${pgText(e.key)}, ${pgText(e.guid)}, ${pgText(e.title)}, ${pgText(e.link)}, ${pgText(e.canonicalUrl)}, ${pgText(e.summary)}, ${pgText(e.content)}, ${pgText(e.author)},
        ${pgText(JSON.stringify(e.categories))}, ${e.publishedAt}, ${e.updatedAt}, ${pgText(e.originalDate)}, ${pgText(e.contentHash)}, ${now}, ${now}, NULL
      WHERE NOT EXISTS (SELECT 1 FROM found)
      RETURNING id, story_id AS "storyId", published_at AS "publishedAt")
    SELECT * FROM changed UNION ALL SELECT * FROM added`);
  if (!row) return { kind: 'unchanged' };
  return row.storyId === null ? { kind: 'inserted', id: row.id } : { kind: 'updated', id: row.id, storyId: row.storyId, publishedAt: Number(row.publishedAt) };
}

/** Puts an entry into a story. */
export async function assignStory(db: PgDb, entryId: number, storyId: number): Promise<void> {
  await db.update(entries).set({ storyId }).where(eq(entries.id, entryId));
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

/** The fields clustering reads, for entries published in [since, until], oldest first. */
export async function clusteringInputs(db: PgDb, since: number, until = Number.MAX_SAFE_INTEGER): Promise<ClusteringRow[]> {
  return db
    .select(CLUSTERING_FIELDS)
    .from(entries)
    .where(and(gte(entries.publishedAt, since), lte(entries.publishedAt, until)))
    .orderBy(entries.publishedAt, entries.id);
}

/** The fields clustering reads of every entry, in arrival (id) order: what recluster replays. */
export async function clusteringInputsByArrival(db: PgDb): Promise<ClusteringRow[]> {
  return db.select(CLUSTERING_FIELDS).from(entries).orderBy(entries.id);
}

/** Entries that have a story, published in [from, to], oldest first: the clustering window. */
export async function storiedEntriesBetween(db: PgDb, from: number, to: number): Promise<StoriedRow[]> {
  const rows = await db
    .select(CLUSTERING_FIELDS)
    .from(entries)
    .where(and(gte(entries.publishedAt, from), lte(entries.publishedAt, to), sql`${entries.storyId} IS NOT NULL`))
    .orderBy(entries.publishedAt, entries.id);
  return rows as StoriedRow[];
}

/** The story of the first stored entry (lowest id) with this canonical URL, other than `exceptEntryId`. */
export async function storyOfCanonicalUrl(db: PgDb, url: string, exceptEntryId: number): Promise<number | null> {
  const [row] = await db
    .select({ storyId: entries.storyId })
    .from(entries)
    .where(and(eq(entries.canonicalUrl, url), sql`${entries.id} <> ${exceptEntryId}`, sql`${entries.storyId} IS NOT NULL`))
    .orderBy(entries.id)
    .limit(1);
  return row?.storyId ?? null;
}

/** Entries newest first, by keyset. */
export async function listEntries(db: PgDb, f: EntryFilter): Promise<EntryRow[]> {
  const where: (SQL | undefined)[] = [
    f.sourceIds?.length ? inArray(entries.sourceId, f.sourceIds) : undefined,
    f.terms ? entryMatches(f.terms, entries.id) : undefined,
    f.since !== undefined ? gte(entries.publishedAt, f.since) : undefined,
    f.until !== undefined ? lte(entries.publishedAt, f.until) : undefined,
    f.after ? olderThan(entries, f.after) : undefined,
  ];
  return (await db
    .select()
    .from(entries)
    .where(and(...where))
    .orderBy(...newestFirst(entries))
    .limit(f.limit)) as EntryRow[];
}

/** Entries of the given stories, oldest first within each story. */
export async function entriesOfStories(db: PgDb, storyIds: number[]): Promise<EntryRow[]> {
  if (!storyIds.length) return [];
  // One statement for any number of ids: `= ANY` of one array parameter (SQLite reads a JSON array through json_each).
  return (await db
    .select()
    .from(entries)
    .where(sql`${entries.storyId} = ANY(${intArray(storyIds)}::int[])`)
    .orderBy(entries.publishedAt, entries.id)) as EntryRow[];
}
