// stories table: one row per story, with its representative entry and coverage counts.
import { and, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './open.ts';
import { assignStory } from './entries.ts';
import { belowTop, newestFirst, olderThan, topFirst } from './listing.ts';
import { fewMatches, matchExpression, walkMatches } from './search.ts';
import { entries, stories } from './schema.ts';
import { RANKED_MATCHES, type Cluster, type RankFilter, type StoryFilter, type StoryRow, type TopFilter } from '../types.ts';


const STORY_COLUMNS = `id, representative_entry_id AS representativeEntryId, title, url, summary, published_at AS publishedAt,
  updated_at AS updatedAt, sources_count AS sourcesCount, entries_count AS entriesCount, top_at AS topAt`;

const statements = new WeakMap<SqliteDb, { entry: Statement; create: Statement; refresh: Statement; latest: Statement; latestAfter: ReturnType<typeof latestAfterQuery> }>();

// The unfiltered page after a position, prepared once with the position and limit as parameters.
function latestAfterQuery(store: SqliteDb) {
  const after = { publishedAt: sql.placeholder('t'), id: sql.placeholder('id') };
  return store.db.select().from(stories).where(olderThan(stories, after)).orderBy(...newestFirst(stories)).limit(sql.placeholder('limit')).prepare();
}

function prepared(store: SqliteDb) {
  let s = statements.get(store);
  if (!s) {
    s = {
      // The entry is read, then the story inserted from its values: one INSERT ... SELECT (with RETURNING or not) costs
      // several times as much in SQLite, which stages the selected row first.
      entry: store.sqlite.prepare('SELECT title, link, summary, published_at AS publishedAt FROM entries WHERE id = ?'),
      create: store.sqlite.prepare(`
        INSERT INTO stories (representative_entry_id, title, url, summary, published_at, updated_at, sources_count, entries_count)
        VALUES (?, ?, ?, ?, ?, ?, 1, 1)`),
      // The representative entry: the highest source priority, then the earliest published, then the first stored.
      refresh: store.sqlite.prepare(`
        UPDATE stories SET
          (representative_entry_id, title, url, summary) = (
            SELECT e.id, e.title, e.link, e.summary FROM entries e JOIN sources s ON s.id = e.source_id
            WHERE e.story_id = stories.id ORDER BY s.priority DESC, e.published_at ASC, e.id ASC LIMIT 1),
          sources_count = (SELECT COUNT(DISTINCT source_id) FROM entries WHERE story_id = stories.id),
          entries_count = (SELECT COUNT(*) FROM entries WHERE story_id = stories.id),
          updated_at = MAX(updated_at, @now)
        WHERE id = @id`),
      // The unfiltered newest-first page (the front page, the API's default, the all feed) skips query building.
      latest: store.sqlite.prepare(`SELECT ${STORY_COLUMNS} FROM stories ORDER BY published_at DESC, id DESC LIMIT ?`),
      latestAfter: latestAfterQuery(store),
    };
    statements.set(store, s);
  }
  return s;
}

/** Starts a story from a stored entry; its publication time is the entry's and never moves. */
export function createStory(store: SqliteDb, entryId: number): number {
  const s = prepared(store);
  const e = s.entry.get(entryId) as { title: string; link: string | null; summary: string; publishedAt: number } | undefined;
  if (!e) throw new Error(`createStory: no entry ${entryId}`);
  return Number(s.create.run(entryId, e.title, e.link, e.summary, e.publishedAt, e.publishedAt).lastInsertRowid);
}

/** Recomputes a story after an entry joined or changed: representative, counts, updated_at. */
export function refreshStory(store: SqliteDb, storyId: number, now: number): void {
  prepared(store).refresh.run({ id: storyId, now });
}


/** Stories newest first (by first publication), by keyset. */
export function listStories(store: SqliteDb, f: StoryFilter): StoryRow[] {
  if (isUnfiltered(f)) {
    const s = prepared(store);
    return f.after ? s.latestAfter.all({ t: f.after.publishedAt, id: f.after.id, limit: f.limit }) : (s.latest.all(f.limit) as StoryRow[]);
  }
  return filteredStories(store, f, f.after ? olderThan(stories, f.after) : undefined, newestFirst(stories));
}

/** Stories top first (by top key), by keyset. */
export function topStories(store: SqliteDb, f: TopFilter): StoryRow[] {
  return filteredStories(store, f, f.after ? belowTop(stories, f.after) : undefined, topFirst(stories));
}

// A page of the stories passing `f`, after `position`, in `order`.
function filteredStories(store: SqliteDb, f: Omit<StoryFilter, 'after'>, position: SQL | undefined, order: SQL[]): StoryRow[] {
  const where = [...storyConditions(f), f.terms ? storyMatches(store, f.terms, f.limit) : undefined, position];
  return store.db
    .select()
    .from(stories)
    .where(and(...where))
    .orderBy(...order)
    .limit(f.limit)
    .all();
}

/** Stories matching every term, best first (BM25 of their best-matching entry), from `offset`. */
export function rankStories(store: SqliteDb, f: RankFilter): StoryRow[] {
  const where = and(...storyConditions(f));
  // bm25() only works in a plain query of the FTS table, so the hits are materialised before the join; only the
  // newest RANKED_MATCHES matching entries are scored, which bounds the cost of a very common term.
  const ranked = store.db.all<{ id: number }>(sql`
    WITH h AS MATERIALIZED (SELECT rowid AS entry_id, bm25(entries_fts) AS score FROM entries_fts
      WHERE entries_fts MATCH ${matchExpression(f.terms)} ORDER BY rowid DESC LIMIT ${RANKED_MATCHES})
    SELECT ${stories.id} AS id FROM (
      SELECT e.story_id AS story_id, MIN(h.score) AS score FROM h JOIN entries e ON e.id = h.entry_id GROUP BY e.story_id
    ) r JOIN ${stories} ON ${stories.id} = r.story_id
    ${where ? sql`WHERE ${where}` : sql``}
    ORDER BY r.score, ${stories.id} LIMIT ${f.limit} OFFSET ${f.offset}`);
  if (!ranked.length) return [];
  const rows = new Map(store.db.select().from(stories).where(inArray(stories.id, ranked.map((r) => r.id))).all().map((r) => [r.id, r]));
  return ranked.map((r) => rows.get(r.id)!);
}

// Few hits: the stories of the matching entries, read directly. More: the stories index walked in the list's order, each
// story's entries (entries_story_idx) checked against the hits, so the walk stops after one page.
function storyMatches(store: SqliteDb, terms: string[], limit: number): SQL {
  const hits = fewMatches(store, terms, limit);
  // Joining json_each to entries (rather than `id IN json_each`) lets SQLite walk the short list once.
  if (hits) return sql`${stories.id} IN (SELECT e.story_id FROM json_each(${JSON.stringify(hits)}) j JOIN entries e ON e.id = j.value)`;
  return sql`EXISTS (SELECT 1 FROM entries e WHERE e.story_id = ${stories.id} AND ${walkMatches(store, terms, sql`e.id`)})`;
}

function isUnfiltered(f: StoryFilter): boolean {
  return f.terms === undefined && f.since === undefined && f.until === undefined && (f.minSources ?? 1) <= 1 && !f.coveredBy?.length;
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
  if (!sourceIds.length) return sql`0`;
  return sql`EXISTS (SELECT 1 FROM ${entries} WHERE ${entries.storyId} = ${stories.id} AND ${inArray(entries.sourceId, sourceIds)})`;
}

/** One story by id. */
export function storyById(store: SqliteDb, id: number): StoryRow | undefined {
  return store.db.select().from(stories).where(eq(stories.id, id)).get();
}

/**
 * Moves entries between stories (recluster). A cluster without an id becomes a story first published when its
 * first-stored entry was, as polling would have made it; every story that gained or lost entries is refreshed.
 */
export function applyClusters(store: SqliteDb, clusters: Cluster[], now: number): { touched: number[]; deleted: number } {
  const touched = new Set<number>();
  // Raw SQL: prepared once for the whole recluster, read once per entry moved.
  const storyOfEntry = store.sqlite.prepare('SELECT story_id AS storyId FROM entries WHERE id = ?');
  for (const cluster of clusters) {
    const first = Math.min(...cluster.entryIds);
    const storyId = cluster.storyId ?? createStory(store, first);
    for (const entryId of cluster.entryIds) {
      const old = (storyOfEntry.get(entryId) as { storyId: number | null } | undefined)?.storyId;
      if (old === storyId) continue;
      if (old != null) touched.add(old);
      assignStory(store, entryId, storyId);
    }
    touched.add(storyId);
  }
  let deleted = 0;
  for (const id of touched) {
    if (deleteStoryIfEmpty(store, id)) deleted++;
    else refreshStory(store, id, now), resetStoryTime(store, id);
  }
  return { touched: [...touched], deleted };
}


/** A story is first published when its first-stored entry was (what polling gives); for a story whose members changed. */
export function resetStoryTime(store: SqliteDb, storyId: number): void {
  // Raw SQL: a correlated subquery in SET, which drizzle's update builder does not express.
  store.sqlite
    .prepare('UPDATE stories SET published_at = (SELECT published_at FROM entries WHERE story_id = stories.id ORDER BY id LIMIT 1) WHERE id = ?')
    .run(storyId);
}

/** How many entries a story holds. */
export function storyEntryCount(store: SqliteDb, storyId: number): number {
  // Raw SQL: one COUNT on the story index, read once per edited entry in the poll's transaction.
  return (store.sqlite.prepare('SELECT COUNT(*) AS n FROM entries WHERE story_id = ?').get(storyId) as { n: number }).n;
}

/** Deletes a story if no entry belongs to it any more (an edited entry moved out); true when deleted. */
export function deleteStoryIfEmpty(store: SqliteDb, storyId: number): boolean {
  // Raw SQL: the emptiness check and the delete are one statement, so nothing can join the story in between.
  return store.sqlite.prepare('DELETE FROM stories WHERE id = ? AND NOT EXISTS (SELECT 1 FROM entries WHERE story_id = stories.id)').run(storyId).changes > 0;
}

/** Deletes stories no entry belongs to any more; returns how many. */
export function deleteEmptyStories(store: SqliteDb): number {
  // Raw SQL: the same anti-join as deleteStoryIfEmpty, over every story.
  return store.sqlite.prepare('DELETE FROM stories WHERE NOT EXISTS (SELECT 1 FROM entries WHERE story_id = stories.id)').run().changes;
}
