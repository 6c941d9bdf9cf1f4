// entries table on PostgreSQL: items of sources, deduplicated per (source, key) by the unique index.
import { and, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import type { EntryInput } from '../../model.ts';
import type { ClusteringRow, EntryFilter, EntryRow, NewEntryOutcome, StoriedRow, UpsertOutcome } from '../types.ts';
import { inIdOrder, intArray, jsonParam, newestFirst, olderThan } from './listing.ts';
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
export async function upsertEntry(db: PgDb, sourceId: string, e: EntryInput, now: number, pending = false): Promise<UpsertOutcome> {
  // Raw SQL: the stored row, its update when the content hash changed, or the insert when there is none, in one round
  // trip. Not INSERT ... ON CONFLICT: that takes an id from the identity before it meets the stored row, so ids would
  // skip where SQLite's do not. An edited item updates in place and keeps first_seen_at, published_at and its story.
  const [key, hash] = [pgText(e.key), pgText(e.contentHash)];
  const [guid, title, link, canonicalUrl, summary, content, author] = [e.guid, e.title, e.link, e.canonicalUrl, e.summary, e.content, e.author].map(pgText);
  const categories = pgText(JSON.stringify(e.categories));
  const [imageUrl, imageWidth, imageHeight] = [pgText(e.image?.url ?? null), e.image?.width ?? null, e.image?.height ?? null];
  const [row] = await db.execute<{ id: number; storyId: number | null; publishedAt: number }>(sql`
    WITH old AS (SELECT id, content_hash FROM entries WHERE source_id = ${sourceId} AND key = ${key}),
    upd AS (
      UPDATE entries SET guid = ${guid}, title = ${title}, link = ${link}, canonical_url = ${canonicalUrl}, summary = ${summary},
        content = ${content}, author = ${author}, categories = ${categories}, updated_at = COALESCE(${e.updatedAt}::bigint, ${now}::bigint),
        content_hash = ${hash}, image_url = ${imageUrl}, image_width = ${imageWidth}::int, image_height = ${imageHeight}::int,
        changed_at = ${now}::bigint, pending_seq = ${queued(pending, sql`entries.pending_seq`)}
      FROM old WHERE entries.id = old.id AND old.content_hash <> ${hash}
      RETURNING entries.id, entries.story_id, entries.published_at),
    ins AS (
      INSERT INTO entries (source_id, key, guid, title, link, canonical_url, summary, content, author, categories,
        published_at, updated_at, original_date, content_hash, image_url, image_width, image_height, first_seen_at, changed_at, story_id, pending_seq)
      SELECT ${sourceId}, ${key}, ${guid}, ${title}, ${link}, ${canonicalUrl}, ${summary}, ${content}, ${author}, ${categories},
        ${e.publishedAt}::bigint, ${e.updatedAt}::bigint, ${pgText(e.originalDate)}, ${hash}, ${imageUrl}, ${imageWidth}::int, ${imageHeight}::int, ${now}::bigint, ${now}::bigint, NULL, ${queued(pending, sql`NULL`)}
      WHERE NOT EXISTS (SELECT 1 FROM old)
      RETURNING id, story_id, published_at)
    SELECT id, story_id AS "storyId", published_at AS "publishedAt" FROM upd UNION ALL SELECT id, story_id, published_at FROM ins`);
  if (!row) return { kind: 'unchanged' };
  return row.storyId === null ? { kind: 'inserted', id: row.id } : { kind: 'updated', id: row.id, storyId: row.storyId, publishedAt: Number(row.publishedAt) };
}

/**
 * Inserts the entries whose key the source has not stored, in order, in two round trips whatever their number: one
 * reads the stored content hashes of all the keys, one inserts every new entry (ids handed out in the batch's order).
 */
export async function insertNewEntries(db: PgDb, sourceId: string, batch: readonly EntryInput[], now: number, pending = false): Promise<NewEntryOutcome[]> {
  if (!batch.length) return [];
  // Raw SQL: a JSON array of keys as one parameter, so any number of keys is one statement.
  const keys = [...new Set(batch.map((e) => pgText(e.key)))];
  const rows = await db.execute<{ key: string; contentHash: string }>(sql`
    SELECT key, content_hash AS "contentHash" FROM entries
    WHERE source_id = ${sourceId} AND key IN (SELECT json_array_elements_text(${jsonParam(keys)}::json))`);
  const stored = new Map(rows.map((r) => [r.key, r.contentHash]));
  const seen = new Set<string>();
  const fresh: { i: number; key: string; [column: string]: unknown }[] = [];
  // Where each new entry's id goes in the outcomes.
  const slots: number[] = [];
  const outcomes: NewEntryOutcome[] = batch.map((e, at) => {
    const key = pgText(e.key);
    // A key met earlier in the batch is stored by then: upsertEntry decides it in its turn, as for any stored entry.
    if (seen.has(key)) return 'stored';
    seen.add(key);
    const hash = stored.get(key);
    if (hash !== undefined) return hash === e.contentHash ? 'unchanged' : 'stored';
    fresh.push({
      i: fresh.length,
      key,
      guid: pgText(e.guid),
      title: pgText(e.title),
      link: pgText(e.link),
      canonical_url: pgText(e.canonicalUrl),
      summary: pgText(e.summary),
      content: pgText(e.content),
      author: pgText(e.author),
      categories: pgText(JSON.stringify(e.categories)),
      published_at: e.publishedAt,
      updated_at: e.updatedAt,
      original_date: pgText(e.originalDate),
      content_hash: pgText(e.contentHash),
      image_url: pgText(e.image?.url ?? null),
      image_width: e.image?.width ?? null,
      image_height: e.image?.height ?? null,
    });
    slots.push(at);
    return 0;
  });
  if (!fresh.length) return outcomes;
  // Raw SQL: INSERT ... SELECT from a JSON recordset, ordered (in a subquery, so the queue places are taken in that
  // order too), so the identity hands out ids in the batch's order.
  const inserted = await db.execute<{ id: number; key: string }>(sql`
    INSERT INTO entries (source_id, key, guid, title, link, canonical_url, summary, content, author, categories,
      published_at, updated_at, original_date, content_hash, image_url, image_width, image_height, first_seen_at, changed_at, story_id, pending_seq)
    SELECT ${sourceId}, t.key, t.guid, t.title, t.link, t.canonical_url, t.summary, t.content, t.author, t.categories,
      t.published_at, t.updated_at, t.original_date, t.content_hash, t.image_url, t.image_width, t.image_height, ${now}::bigint, ${now}::bigint, NULL, ${queued(pending, sql`NULL`)}
    FROM (SELECT * FROM json_to_recordset(${jsonParam(fresh)}::json) AS r(i int, key text, guid text, title text, link text, canonical_url text,
      summary text, content text, author text, categories text, published_at bigint, updated_at bigint, original_date text, content_hash text,
      image_url text, image_width int, image_height int)
      ORDER BY r.i) AS t
    RETURNING id, key`);
  const ids = new Map(inserted.map((r) => [r.key, r.id]));
  fresh.forEach((f, n) => (outcomes[slots[n]!] = ids.get(f.key)!));
  return outcomes;
}

/** The queue place of an entry stored now: the next one when `pending`, else `otherwise`. */
function queued(pending: boolean, otherwise: SQL): SQL {
  return pending ? sql`nextval('entries_pending_seq')` : otherwise;
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

/** Whether some stored entry's picture is exactly this URL (the partial index on image_url answers it). */
export async function hasEntryImage(db: PgDb, url: string): Promise<boolean> {
  const rows = await db.select({ id: entries.id }).from(entries).where(eq(entries.imageUrl, pgText(url))).limit(1);
  return rows.length > 0;
}

/** For each canonical URL that has a stored story: the story of its first stored entry (lowest id), in one round trip. */
export async function storiesOfCanonicalUrls(db: PgDb, urls: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (!urls.length) return found;
  // Raw SQL: DISTINCT ON picks each URL's first entry, over a JSON array of URLs as one parameter.
  const rows = await db.execute<{ url: string; storyId: number }>(sql`
    SELECT DISTINCT ON (canonical_url) canonical_url AS url, story_id AS "storyId" FROM entries
    WHERE canonical_url IN (SELECT json_array_elements_text(${jsonParam([...new Set(urls)])}::json)) AND story_id IS NOT NULL
    ORDER BY canonical_url, id`);
  for (const r of rows) found.set(r.url, r.storyId);
  return found;
}

/** Entries newest first, by keyset. */
export async function listEntries(db: PgDb, f: EntryFilter): Promise<EntryRow[]> {
  const where: (SQL | undefined)[] = [
    // An entry waiting for the clustering leader is shown once it has its story, never half-way.
    isNotNull(entries.storyId),
    f.sourceIds?.length ? inArray(entries.sourceId, f.sourceIds) : undefined,
    f.terms ? entryMatches(f.terms, entries.id) : undefined,
    f.since !== undefined ? gte(entries.publishedAt, f.since) : undefined,
    f.until !== undefined ? lte(entries.publishedAt, f.until) : undefined,
    f.after ? olderThan(entries, f.after) : undefined,
  ];
  // The page's ids first, then its rows, as stories.ts's listStories: a search walks entries_published_idx alone.
  const page = await db
    .select({ id: entries.id })
    .from(entries)
    .where(and(...where))
    .orderBy(...newestFirst(entries))
    .limit(f.limit);
  if (!page.length) return [];
  const ids = page.map((r) => r.id);
  return inIdOrder(ids, (await db.select().from(entries).where(sql`${entries.id} = ANY(${intArray(ids)}::int[])`)) as EntryRow[]);
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
