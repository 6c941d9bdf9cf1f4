// drizzle schema for PostgreSQL: the same tables, columns, indexes and constraints as src/store/sqlite/schema.ts
// (tests/store/schema-parity.test.ts fails when a column is in one and not the other); migrations in drizzle/pg/.
//
// Times stay integer milliseconds since the epoch (UTC), as on SQLite: `bigint` with `mode: 'number'` reads them back
// as JavaScript numbers (exact up to 2^53 ms, the year 287396), so rows, and the API's RFC 3339 output made from them,
// are identical on both engines. Not `timestamptz`: it holds microseconds and would make every reader convert.
// Newest-first indexes are DESC NULLS FIRST, PostgreSQL's meaning of a bare DESC (drizzle-kit writes NULLS LAST
// otherwise): only then does `ORDER BY published_at DESC, id DESC` walk the index instead of sorting the table.
// Ids are `integer` identities "by default": polling lets PostgreSQL number rows, and copying a database can keep
// its ids (then advancing the sequence past them), as SQLite's AUTOINCREMENT ids are kept.
import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, pgSequence, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { TOP_DOUBLING_MS } from '../types.ts';

/** Milliseconds since the epoch (UTC) as a JavaScript number. */
const ms = (name: string) => bigint(name, { mode: 'number' });

/** PostgreSQL's full-text document type; written and read through SQL functions (to_tsvector, @@), not as a value. */
const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

/** Poll state of each source; the definition itself lives in feeds.json. */
export const sources = pgTable(
  'sources',
  {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  feedTitle: text('feed_title'),
  siteUrl: text('site_url'),
  status: text('status', { enum: ['new', 'ok', 'error'] }).notNull().default('new'),
  etag: text('etag'),
  lastModified: text('last_modified'),
  bodyHash: text('body_hash'),
  lastFetchedAt: ms('last_fetched_at'),
  lastSuccessAt: ms('last_success_at'),
  lastErrorKind: text('last_error_kind'),
  lastError: text('last_error'),
  lastHttpStatus: integer('last_http_status'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  nextFetchAt: ms('next_fetch_at'),
  permanentRedirect: text('permanent_redirect'),
  ttlSeconds: integer('ttl_seconds'),
  /** Copied from feeds.json: a higher priority wins the headline of a shared story. */
  priority: integer('priority').notNull().default(0),
  /** The poller fetching the source now (see src/cluster/), and until when its lease lasts (ms). */
  leaseHolder: text('lease_holder'),
  leaseUntil: ms('lease_until'),
  },
  // Claims walk the sources most overdue first and stop at the first free ones (src/store/pg/leases.ts).
  (t) => [index('sources_due_idx').on(sql`COALESCE(${t.nextFetchAt}, 0)`, t.id)],
);

/** Stories: the events that one or more entries report. */
export const stories = pgTable(
  'stories',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    representativeEntryId: integer('representative_entry_id'),
    title: text('title').notNull(),
    url: text('url'),
    summary: text('summary').notNull().default(''),
    publishedAt: ms('published_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    sourcesCount: integer('sources_count').notNull().default(0),
    entriesCount: integer('entries_count').notNull().default(0),
    // The top order's key (TOP_DOUBLING_MS in ../types.ts), computed by PostgreSQL whenever the time or the outlets
    // change. log(2, n) is numeric (exact to far more digits than a double), floored as SQLite's CAST truncates.
    topAt: ms('top_at')
      .notNull()
      .generatedAlwaysAs(sql`published_at + floor(${sql.raw(String(TOP_DOUBLING_MS))} * log(2, GREATEST(sources_count, 1)))::bigint`),
  },
  (t) => [
    index('stories_published_idx').on(t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('stories_updated_idx').on(t.updatedAt),
    index('stories_top_idx').on(t.topAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

/** Entries: items of sources, one row per (source, identity key). */
export const entries = pgTable(
  'entries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    key: text('key').notNull(),
    guid: text('guid'),
    title: text('title').notNull(),
    link: text('link'),
    canonicalUrl: text('canonical_url'),
    summary: text('summary').notNull().default(''),
    content: text('content'),
    author: text('author'),
    // A JSON array as text, as on SQLite, so both engines hand the same string to the code that parses it.
    categories: text('categories').notNull().default('[]'),
    publishedAt: ms('published_at').notNull(),
    updatedAt: ms('updated_at'),
    originalDate: text('original_date'),
    contentHash: text('content_hash').notNull(),
    // The entry's picture (normalize/entry-image.ts): null when the outlet gives none; the size when the feed states it.
    imageUrl: text('image_url'),
    imageWidth: integer('image_width'),
    imageHeight: integer('image_height'),
    firstSeenAt: ms('first_seen_at').notNull(),
    changedAt: ms('changed_at').notNull(),
    // Null until clustering assigns the entry: inside the inserting transaction, or while it waits in the queue.
    storyId: integer('story_id').references(() => stories.id),
    // Set while the entry waits for the clustering leader (new, or edited since it was assigned); its place in the
    // queue, from entries_pending_seq.
    pendingSeq: ms('pending_seq'),
  },
  (t) => [
    uniqueIndex('entries_source_key_uq').on(t.sourceId, t.key),
    index('entries_published_idx').on(t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('entries_source_published_idx').on(t.sourceId, t.publishedAt),
    index('entries_story_idx').on(t.storyId),
    index('entries_canonical_idx').on(t.canonicalUrl),
    index('entries_pending_idx').on(t.pendingSeq).where(sql`${t.pendingSeq} IS NOT NULL`),
    // The media proxy serves only pictures of stored entries: it looks each requested URL up here.
    index('entries_image_idx').on(t.imageUrl).where(sql`${t.imageUrl} IS NOT NULL`),
  ],
);

/** One row per fetch of a source (its recent history, drawn on /sources); the oldest rows are pruned. */
export const fetchHistory = pgTable(
  'fetch_history',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    fetchedAt: ms('fetched_at').notNull(),
    outcome: text('outcome', { enum: ['ok', 'not_modified', 'error'] }).notNull(),
    httpStatus: integer('http_status'),
    errorKind: text('error_kind'),
    newEntries: integer('new_entries').notNull().default(0),
    updatedEntries: integer('updated_entries').notNull().default(0),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('fetch_history_source_idx').on(t.sourceId, t.fetchedAt.desc().nullsFirst())],
);

/** Hands out the queue places of entries waiting for the clustering leader, in the order their pollers stored them. */
export const entriesPendingSeq = pgSequence('entries_pending_seq');

/**
 * Full-text index of entries, standing in for SQLite's FTS5 table `entries_fts` (drizzle/sqlite/0001_search_index.sql):
 * one row per entry, keyed by its id, holding the entry's title and summary already normalised the way clustering
 * normalises names (Zelenskyy -> zelenski, Kiev -> kyiv) as a tsvector, searched through the GIN index. Like
 * entries_fts it is written by the store (not a generated column), so reindexing after an analyzer change works the
 * same way on both engines; deleting an entry deletes its row.
 */
export const entriesSearch = pgTable(
  'entries_search',
  {
    entryId: integer('entry_id')
      .primaryKey()
      .references(() => entries.id, { onDelete: 'cascade' }),
    terms: tsvector('terms').notNull(),
  },
  (t) => [index('entries_search_terms_idx').using('gin', t.terms)],
);

/** Named leases held by one process at a time: the clustering leader ('clustering'). */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: ms('expires_at').notNull(),
  acquiredAt: ms('acquired_at').notNull(),
});

/** Facts the store keeps about itself, by key (e.g. what the search index was built with). */
export const storeMeta = pgTable('store_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
