// drizzle schema for SQLite: the tables of storywire. Times are integer milliseconds since the epoch (UTC).
// Kept in step with src/store/pg/schema.ts (same tables, columns, indexes); migrations in drizzle/sqlite/.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { TOP_DOUBLING_MS } from '../types.ts';

/** Poll state of each source; the definition itself lives in feeds.json. */
export const sources = sqliteTable(
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
  lastFetchedAt: integer('last_fetched_at'),
  lastSuccessAt: integer('last_success_at'),
  lastErrorKind: text('last_error_kind'),
  lastError: text('last_error'),
  lastHttpStatus: integer('last_http_status'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  nextFetchAt: integer('next_fetch_at'),
  permanentRedirect: text('permanent_redirect'),
  ttlSeconds: integer('ttl_seconds'),
  /** Copied from feeds.json: a higher priority wins the headline of a shared story. */
  priority: integer('priority').notNull().default(0),
  /** The poller fetching the source now (see src/cluster/), and until when its lease lasts (ms). */
  leaseHolder: text('lease_holder'),
  leaseUntil: integer('lease_until'),
  },
  // Claims walk the sources most overdue first and stop at the first free ones (src/store/sqlite/leases.ts).
  (t) => [index('sources_due_idx').on(sql`COALESCE(${t.nextFetchAt}, 0)`, t.id)],
);

/** Stories: the events that one or more entries report. */
export const stories = sqliteTable(
  'stories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    representativeEntryId: integer('representative_entry_id'),
    title: text('title').notNull(),
    url: text('url'),
    summary: text('summary').notNull().default(''),
    publishedAt: integer('published_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    sourcesCount: integer('sources_count').notNull().default(0),
    entriesCount: integer('entries_count').notNull().default(0),
    // The top order's key (TOP_DOUBLING_MS in ../types.ts), computed by SQLite whenever the time or the outlets
    // change. VIRTUAL: ALTER TABLE can add only that kind; stories_top_idx stores its values for the top listing.
    topAt: integer('top_at')
      .notNull()
      .generatedAlwaysAs(sql`published_at + CAST(${sql.raw(String(TOP_DOUBLING_MS))} * log2(MAX(sources_count, 1)) AS INTEGER)`, { mode: 'virtual' }),
  },
  (t) => [
    index('stories_published_idx').on(sql`${t.publishedAt} DESC`, sql`${t.id} DESC`),
    index('stories_updated_idx').on(t.updatedAt),
    index('stories_top_idx').on(sql`${t.topAt} DESC`, sql`${t.id} DESC`),
  ],
);

/** Entries: items of sources, one row per (source, identity key). */
export const entries = sqliteTable(
  'entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
    categories: text('categories').notNull().default('[]'),
    publishedAt: integer('published_at').notNull(),
    updatedAt: integer('updated_at'),
    originalDate: text('original_date'),
    contentHash: text('content_hash').notNull(),
    // The entry's picture (normalize/entry-image.ts): null when the outlet gives none; the size when the feed states it.
    imageUrl: text('image_url'),
    imageWidth: integer('image_width'),
    imageHeight: integer('image_height'),
    firstSeenAt: integer('first_seen_at').notNull(),
    changedAt: integer('changed_at').notNull(),
    // Null until clustering assigns the entry: inside the inserting transaction, or while it waits in the queue.
    storyId: integer('story_id').references(() => stories.id),
    // Set while the entry waits for the clustering leader (new, or edited since it was assigned); its place in the queue.
    pendingSeq: integer('pending_seq'),
  },
  (t) => [
    uniqueIndex('entries_source_key_uq').on(t.sourceId, t.key),
    index('entries_published_idx').on(sql`${t.publishedAt} DESC`, sql`${t.id} DESC`),
    index('entries_source_published_idx').on(t.sourceId, t.publishedAt),
    index('entries_story_idx').on(t.storyId),
    index('entries_canonical_idx').on(t.canonicalUrl),
    index('entries_pending_idx').on(t.pendingSeq).where(sql`${t.pendingSeq} IS NOT NULL`),
    // The media proxy serves only pictures of stored entries: it looks each requested URL up here.
    index('entries_image_idx').on(t.imageUrl).where(sql`${t.imageUrl} IS NOT NULL`),
  ],
);

/** One row per fetch of a source (its recent history, drawn on /sources); the oldest rows are pruned. */
export const fetchHistory = sqliteTable(
  'fetch_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    fetchedAt: integer('fetched_at').notNull(),
    outcome: text('outcome', { enum: ['ok', 'not_modified', 'error'] }).notNull(),
    httpStatus: integer('http_status'),
    errorKind: text('error_kind'),
    newEntries: integer('new_entries').notNull().default(0),
    updatedEntries: integer('updated_entries').notNull().default(0),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('fetch_history_source_idx').on(t.sourceId, sql`${t.fetchedAt} DESC`)],
);

export type SourceRow = typeof sources.$inferSelect;
export type EntryRow = typeof entries.$inferSelect;
export type StoryRow = typeof stories.$inferSelect;
export type FetchHistoryRow = typeof fetchHistory.$inferSelect;

/** Named leases held by one process at a time: the clustering leader ('clustering'), SQLite's one poller ('poller'). */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
  acquiredAt: integer('acquired_at').notNull(),
});

/** Facts the store keeps about itself, by key (e.g. what the search index was built with). */
export const storeMeta = sqliteTable('store_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
