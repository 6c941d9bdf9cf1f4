// stories table on PostgreSQL: one row per story, with its representative entry and coverage counts.
import { and, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { RANKED_MATCHES, type Cluster, type RankFilter, type StoryFilter, type StoryRow, type TopFilter } from '../types.ts';
import { assignStory } from './entries.ts';
import { belowTop, inIdOrder, intArray, newestFirst, olderThan, topFirst } from './listing.ts';
import type { PgDb } from './open.ts';
import { entries, stories } from './schema.ts';
import { entryMatches, tsqueryText } from './search.ts';

/** Starts a story from a stored entry; its publication time is the entry's and never moves. */
export async function createStory(db: PgDb, entryId: number): Promise<number> {
  // Raw SQL: INSERT ... SELECT from the entry with RETURNING, one round trip.
  const [row] = await db.execute<{ id: number }>(sql`
    INSERT INTO stories (representative_entry_id, title, url, summary, published_at, updated_at, sources_count, entries_count)
    SELECT id, title, link, summary, published_at, published_at, 1, 1 FROM entries WHERE id = ${entryId}
    RETURNING id`);
  if (!row) throw new Error(`createStory: no entry ${entryId}`);
  return row.id;
}

/** Starts a story from a stored entry and puts the entry in it. */
export async function startStory(db: PgDb, entryId: number): Promise<number> {
  // Raw SQL: createStory's insert and the entry's update in one statement, one round trip.
  const [row] = await db.execute<{ id: number }>(sql`
    WITH s AS (
      INSERT INTO stories (representative_entry_id, title, url, summary, published_at, updated_at, sources_count, entries_count)
      SELECT id, title, link, summary, published_at, published_at, 1, 1 FROM entries WHERE id = ${entryId}
      RETURNING id)
    UPDATE entries SET story_id = s.id FROM s WHERE entries.id = ${entryId}
    RETURNING s.id`);
  if (!row) throw new Error(`startStory: no entry ${entryId}`);
  return row.id;
}

/** Recomputes a story after an entry joined or changed: representative, counts, updated_at. */
export async function refreshStory(db: PgDb, storyId: number, now: number): Promise<void> {
  // Raw SQL: a row-valued correlated subquery in SET, which drizzle's update builder does not express.
  // The representative entry: the highest source priority, then the earliest published, then the first stored.
  // GREATEST is SQLite's two-argument MAX.
  await db.execute(sql`
    UPDATE stories SET
      (representative_entry_id, title, url, summary) = (
        SELECT e.id, e.title, e.link, e.summary FROM entries e JOIN sources s ON s.id = e.source_id
        WHERE e.story_id = stories.id ORDER BY s.priority DESC, e.published_at ASC, e.id ASC LIMIT 1),
      sources_count = (SELECT COUNT(DISTINCT source_id) FROM entries WHERE story_id = stories.id),
      entries_count = (SELECT COUNT(*) FROM entries WHERE story_id = stories.id),
      updated_at = GREATEST(updated_at, ${now}::bigint)
    WHERE id = ${storyId}`);
}

/** Stories newest first (by first publication), by keyset. */
export async function listStories(db: PgDb, f: StoryFilter): Promise<StoryRow[]> {
  return filteredStories(db, f, f.after ? olderThan(stories, f.after) : undefined, newestFirst(stories));
}

/** Stories top first (by top key), by keyset. */
export async function topStories(db: PgDb, f: TopFilter): Promise<StoryRow[]> {
  return filteredStories(db, f, f.after ? belowTop(stories, f.after) : undefined, topFirst(stories));
}

// A page of the stories passing `f`, after `position`, in `order`.
async function filteredStories(db: PgDb, f: Omit<StoryFilter, 'after'>, position: SQL | undefined, order: SQL[]): Promise<StoryRow[]> {
  const where = [...storyConditions(f), f.terms ? storyMatches(f.terms) : undefined, position];
  // The page's ids first, then its rows: a walk that reads only ids and keys stays in the order's index
  // (stories_published_idx, stories_top_idx: an index-only scan) instead of reading the table row of every story it
  // passes over, most of which a search rejects.
  const page = await db
    .select({ id: stories.id })
    .from(stories)
    .where(and(...where))
    .orderBy(...order)
    .limit(f.limit);
  return storiesInOrder(db, page.map((r) => r.id));
}

/** The rows of stories `ids`, in that order. */
async function storiesInOrder(db: PgDb, ids: number[]): Promise<StoryRow[]> {
  if (!ids.length) return [];
  return inIdOrder(ids, (await db.select().from(stories).where(sql`${stories.id} = ANY(${intArray(ids)}::int[])`)) as StoryRow[]);
}

/**
 * Stories matching every term, best first, from `offset`: the newest RANKED_MATCHES matching entries (by id, as on
 * SQLite) are scored with ts_rank, normalised by document length (flag 1: divided by 1 + log of the number of terms),
 * and a story ranks by its best entry, ties by story id. Where the order may differ from SQLite's: bm25 weighs each
 * term by its rarity across all entries (IDF) and saturates repeated terms, ts_rank does neither. With one search term
 * both rank entries with the term more often and shorter texts first, but their scores are not the same function, so
 * two stories can swap places; with several terms a story matching a rare term often can rank differently.
 * Which stories match, and the listings by time, are the same on both engines.
 */
export async function rankStories(db: PgDb, f: RankFilter): Promise<StoryRow[]> {
  const q = tsqueryText(f.terms);
  if (q === null) return [];
  const where = and(...storyConditions(f));
  // Raw SQL: a CTE of scored hits grouped per story, which drizzle's builder does not express.
  const ranked = await db.execute<{ id: number }>(sql`
    WITH h AS MATERIALIZED (SELECT entry_id, ts_rank(terms, ${q}::tsquery, 1) AS score FROM entries_search
      WHERE terms @@ ${q}::tsquery ORDER BY entry_id DESC LIMIT ${RANKED_MATCHES})
    SELECT ${stories.id} AS id FROM (
      SELECT e.story_id AS story_id, MAX(h.score) AS score FROM h JOIN entries e ON e.id = h.entry_id GROUP BY e.story_id
    ) r JOIN ${stories} ON ${stories.id} = r.story_id
    ${where ? sql`WHERE ${where}` : sql``}
    ORDER BY r.score DESC, ${stories.id} LIMIT ${f.limit} OFFSET ${f.offset}`);
  return storiesInOrder(db, ranked.map((r) => r.id));
}

function storyMatches(terms: string[]): SQL {
  return sql`EXISTS (SELECT 1 FROM entries e WHERE e.story_id = ${stories.id} AND ${entryMatches(terms, sql`e.id`)})`;
}

function storyConditions(f: Omit<StoryFilter, 'limit'>): (SQL | undefined)[] {
  return [
    f.since !== undefined ? gte(stories.publishedAt, f.since) : undefined,
    f.until !== undefined ? lte(stories.publishedAt, f.until) : undefined,
    (f.minSources ?? 1) > 1 ? gte(stories.sourcesCount, f.minSources!) : undefined,
    ...(f.coveredBy ?? []).map(coveredBy),
  ];
}

function coveredBy(sourceIds: string[]): SQL {
  if (!sourceIds.length) return sql`false`;
  return sql`EXISTS (SELECT 1 FROM ${entries} WHERE ${entries.storyId} = ${stories.id} AND ${inArray(entries.sourceId, sourceIds)})`;
}

/** One story by id. */
export async function storyById(db: PgDb, id: number): Promise<StoryRow | undefined> {
  const [row] = await db.select().from(stories).where(eq(stories.id, id));
  return row as StoryRow | undefined;
}

/** Moves entries between stories (recluster); every story that gained or lost entries is refreshed. */
export async function applyClusters(db: PgDb, clusters: Cluster[], now: number): Promise<{ touched: number[]; deleted: number }> {
  const touched = new Set<number>();
  for (const cluster of clusters) {
    const first = Math.min(...cluster.entryIds);
    const storyId = cluster.storyId ?? (await createStory(db, first));
    for (const entryId of cluster.entryIds) {
      const [row] = await db.select({ storyId: entries.storyId }).from(entries).where(eq(entries.id, entryId));
      const old = row?.storyId;
      if (old === storyId) continue;
      if (old != null) touched.add(old);
      await assignStory(db, entryId, storyId);
    }
    touched.add(storyId);
  }
  let deleted = 0;
  for (const id of touched) {
    if (await deleteStoryIfEmpty(db, id)) deleted++;
    else {
      await refreshStory(db, id, now);
      await resetStoryTime(db, id);
    }
  }
  return { touched: [...touched], deleted };
}

/** A story is first published when its first-stored entry was; for a story whose members changed. */
export async function resetStoryTime(db: PgDb, storyId: number): Promise<void> {
  // Raw SQL: a correlated subquery in SET, which drizzle's update builder does not express.
  await db.execute(sql`UPDATE stories SET published_at = (SELECT published_at FROM entries WHERE story_id = stories.id ORDER BY id LIMIT 1) WHERE id = ${storyId}`);
}

/** How many entries a story holds. */
export async function storyEntryCount(db: PgDb, storyId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`COUNT(*)`.mapWith(Number) }).from(entries).where(eq(entries.storyId, storyId));
  return row?.n ?? 0;
}

/** Deletes a story if no entry belongs to it any more; true when deleted. */
export async function deleteStoryIfEmpty(db: PgDb, storyId: number): Promise<boolean> {
  // Raw SQL: the emptiness check and the delete are one statement, so nothing can join the story in between.
  const rows = await db.execute(sql`DELETE FROM stories WHERE id = ${storyId} AND NOT EXISTS (SELECT 1 FROM entries WHERE story_id = stories.id) RETURNING id`);
  return rows.length > 0;
}

/** Deletes stories no entry belongs to any more; returns how many. */
export async function deleteEmptyStories(db: PgDb): Promise<number> {
  // Raw SQL: the same anti-join as deleteStoryIfEmpty, over every story.
  const rows = await db.execute(sql`DELETE FROM stories WHERE NOT EXISTS (SELECT 1 FROM entries WHERE story_id = stories.id) RETURNING id`);
  return rows.length;
}
