// The storage interface: everything the rest of storywire asks of the database, named by what it needs, with row
// types owned here (not inferred from one engine's table definitions). Every method returns a Promise, so an engine
// with a network round trip (PostgreSQL) implements it as naturally as SQLite. Times are integer milliseconds since
// the epoch (UTC) on every engine.
import type { EntryInput } from '../model.ts';
import type { ClusterDoc } from '../stories/types.ts';

/** The stored poll state of one source (its definition lives in feeds.json). */
export interface SourceRow {
  id: string;
  url: string;
  feedTitle: string | null;
  siteUrl: string | null;
  status: 'new' | 'ok' | 'error';
  etag: string | null;
  lastModified: string | null;
  bodyHash: string | null;
  lastFetchedAt: number | null;
  lastSuccessAt: number | null;
  lastErrorKind: string | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  consecutiveFailures: number;
  nextFetchAt: number | null;
  permanentRedirect: string | null;
  ttlSeconds: number | null;
  priority: number;
  /** The poller fetching the source now, and until when its lease lasts (null: nobody). */
  leaseHolder: string | null;
  leaseUntil: number | null;
}

/** Who holds a named lease, and until when (ms). */
export interface LeaseRow {
  name: string;
  holder: string;
  expiresAt: number;
  acquiredAt: number;
}

/** How a process claims sources to fetch (see src/cluster/): its holder id, the lease length and the politeness limits. */
export interface ClaimOptions {
  holder: string;
  now: number;
  /** Until when the claimed leases last (now + the lease length). */
  until: number;
  /** Sources being fetched from one host at once, across every poller. */
  perHost: number;
  /** True for a lease holder that is known dead (a process of this machine that no longer runs): its leases are free. */
  isDead: (holder: string) => boolean;
}

/** Why a source could not be claimed. */
export type ClaimRefusal = 'leased' | 'host-busy' | 'not-due';

/** An entry waiting for the clustering leader, with its place in the queue. */
export type PendingRow = ClusteringRow & { pendingSeq: number };

/** One stored entry (an item of a source): the normalised item as stored, `categories` as a JSON array of strings. */
export interface EntryRow extends Omit<EntryInput, 'categories' | 'image'> {
  // The image as its three columns (null when none); the API puts them together.
  imageUrl: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
  id: number;
  sourceId: string;
  categories: string;
  firstSeenAt: number;
  changedAt: number;
  /** Null until clustering assigns the entry (inside the inserting transaction, or while it waits in the queue). */
  storyId: number | null;
  /** Not null while the entry waits for the clustering leader: its place in the queue. */
  pendingSeq: number | null;
}

/** One story: the event one or more entries report. */
export interface StoryRow {
  id: number;
  representativeEntryId: number | null;
  title: string;
  url: string | null;
  summary: string;
  publishedAt: number;
  updatedAt: number;
  sourcesCount: number;
  entriesCount: number;
  /** The top order's key (see TOP_DOUBLING_MS), kept by the database from publishedAt and sourcesCount. */
  topAt: number;
}

/**
 * The top order ranks stories by outlets weighted by recency, `outlets * 2^(-age / H)`, which orders stories exactly
 * as the key `publishedAt + H * log2(outlets)` does: a key that does not depend on the time of the request, so it can
 * be stored, indexed and paged by keyset like the newest order. H is this: a story covered by two outlets ranks with a
 * single-outlet story 12 hours newer, four outlets with one 24 hours newer. Both schemas compute stories.top_at with
 * it (a generated column, so no write path can leave it stale), whole milliseconds rounded down.
 */
export const TOP_DOUBLING_MS = 12 * 3_600_000;

/** The orders of a story listing: newest first (by first publication) or top first (by top key). */
export type StoryOrder = 'newest' | 'top';

/** A position in a newest-first list: the last item of the previous page. */
export interface Keyset {
  publishedAt: number;
  id: number;
}

/** A position in a top-first list of stories: the last item of the previous page. */
export interface TopKeyset {
  topAt: number;
  id: number;
}

/** The configured facts the store keeps a copy of. */
export interface SourceDefinition {
  id: string;
  url: string;
  priority: number;
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
  /** True when nothing new was read (a 304, or the same bytes as the last fetch): the history's 'not_modified'. */
  notModified?: boolean;
  /** What the poll stored (0 when omitted) and how long it took (ms; null when unknown), for its fetch history row. */
  newEntries?: number;
  updatedEntries?: number;
  durationMs?: number | null;
}

/** What a failed poll leaves on the source. */
export interface FailureUpdate {
  at: number;
  kind: string;
  message: string;
  httpStatus: number | null;
  nextFetchAt: number;
  permanentRedirect: string | null;
  /** How long the poll took (ms), for its fetch history row; null when unknown. */
  durationMs?: number | null;
}

/**
 * Fetches kept per source in fetch_history, newest first: what the /sources strip draws (two days of half-hourly
 * polls). Recording a fetch deletes the source's older ones, so the table stays this size per source.
 */
export const FETCH_HISTORY_KEPT = 48;

/** How a fetch ended: a feed read and stored, the same feed again (a 304, or the very bytes of the last fetch), or a failure. */
export type FetchOutcome = 'ok' | 'not_modified' | 'error';

/** One fetch of a source, as its history keeps it: recordSuccess and recordFailure each add one. */
export interface FetchRecord {
  sourceId: string;
  fetchedAt: number;
  outcome: FetchOutcome;
  httpStatus: number | null;
  errorKind: string | null;
  newEntries: number;
  updatedEntries: number;
  durationMs: number | null;
}

/** What storing one entry did. An edited entry keeps its stored publication time (an undated item is not re-dated by each poll). */
export type UpsertOutcome = { kind: 'inserted'; id: number } | { kind: 'updated'; id: number; storyId: number; publishedAt: number } | { kind: 'unchanged' };

/**
 * What inserting a batch of entries did to one of them: its new id, 'unchanged' (stored with the same content), or
 * 'stored' (stored with other content, or its key came earlier in the batch): upsertEntry updates it, in its turn.
 */
export type NewEntryOutcome = number | 'unchanged' | 'stored';

/** Filters of an entry listing. */
export interface EntryFilter {
  sourceIds?: string[];
  /** Normalised search terms, all of which must occur (an empty list matches nothing). */
  terms?: string[];
  since?: number;
  until?: number;
  after?: Keyset | null;
  limit: number;
}

/** Filters of a story listing. */
export interface StoryFilter {
  /** Each set is a condition: the story is covered by at least one of its sources (tags are resolved to sources by the caller). */
  coveredBy?: string[][];
  /** Normalised search terms; a story matches when one of its entries holds all of them. */
  terms?: string[];
  since?: number;
  until?: number;
  minSources?: number;
  after?: Keyset | null;
  limit: number;
}

/** A top-first story listing: the filters of StoryFilter, paged by top key. */
export type TopFilter = Omit<StoryFilter, 'after'> & { after?: TopKeyset | null };

/** A relevance ranking: stories matching every term, best first, from `offset`. */
export type RankFilter = Omit<StoryFilter, 'after' | 'terms'> & { terms: string[]; offset: number };

/**
 * How many of the newest matching entries a relevance ranking considers: scoring a hit (bm25, ts_rank) and finding
 * its story costs some 10 us, so 2,000 keep an uncached ranking of a common term well under 50 ms.
 */
export const RANKED_MATCHES = 2_000;

/** The fields clustering reads of an entry: what it decides on, and the story it is in. */
export interface ClusteringRow extends ClusterDoc {
  storyId: number | null;
}

/** A clustering row of an entry that has a story. */
export type StoriedRow = ClusteringRow & { storyId: number };

/** A recluster's result for one cluster: its story (null: a new one) and its entries. */
export interface Cluster {
  storyId: number | null;
  entryIds: number[];
}

/** How the index's terms are made: a fingerprint of the analysis (normaliser and alias table) and the analysis itself. */
export interface SearchAnalyzer {
  /** Changes whenever `terms` could return something else for the same text. */
  fingerprint: string;
  /** The match terms of an entry's title and summary. */
  terms(entry: { title: string; summary: string }): string[];
}

/** Why a reindex ran (or 'current' when the index already matched the entries). */
export type ReindexReason = 'never-built' | 'analyzer-changed' | 'migrated' | 'missing-rows' | 'forced' | 'current';

/** What bringing the index up to date did. */
export interface ReindexReport {
  reason: ReindexReason;
  /** Entries whose index row was (re)written. */
  indexed: number;
  /** Index rows dropped because their entry no longer exists. */
  removed: number;
  ms: number;
}

/** Reads, available both on the storage and inside a transaction (where they see the transaction's own writes). */
export interface StorageReads {
  /** The stored state of one source. */
  sourceState(id: string): Promise<SourceRow | undefined>;
  /** Every source's state with its number of stored entries (those with a story), by id. */
  sourceStates(): Promise<(SourceRow & { entriesCount: number })[]>;
  /** Entries newest first, by keyset. */
  listEntries(f: EntryFilter): Promise<EntryRow[]>;
  /** Entries of the given stories, oldest first within each story. */
  entriesOfStories(storyIds: number[]): Promise<EntryRow[]>;
  /** Stories newest first (by first publication), by keyset. */
  listStories(f: StoryFilter): Promise<StoryRow[]>;
  /** Stories top first (by top key, then the larger id), by keyset. */
  topStories(f: TopFilter): Promise<StoryRow[]>;
  /** Stories matching every term, best first (the relevance of their best-matching entry), from `offset`. */
  rankStories(f: RankFilter): Promise<StoryRow[]>;
  /** One story by id. */
  storyById(id: number): Promise<StoryRow | undefined>;
  /** How many entries a story holds. */
  storyEntryCount(storyId: number): Promise<number>;
  /** Entries that have a story, published in [from, to], oldest first (then by id): the clustering window. */
  storiedEntriesBetween(from: number, to: number): Promise<StoriedRow[]>;
  /** The story of the first stored entry (lowest id) with this canonical URL, other than `exceptEntryId`. */
  storyOfCanonicalUrl(url: string, exceptEntryId: number): Promise<number | null>;
  /** For each canonical URL that has a stored story: the story of its first stored entry (lowest id). */
  storiesOfCanonicalUrls(urls: readonly string[]): Promise<Map<string, number>>;
  /** Whether some stored entry's picture is exactly this URL (the media proxy fetches nothing else); on entries_image_idx. */
  hasEntryImage(url: string): Promise<boolean>;
  /** The clustering fields of entries published in [since, until], oldest first. */
  clusteringInputs(since: number, until?: number): Promise<ClusteringRow[]>;
  /** The clustering fields of every entry in arrival (id) order: what recluster replays. */
  clusteringInputsByArrival(): Promise<ClusteringRow[]>;
  /** Up to `limit` entries waiting for the clustering leader, in queue order. */
  pendingEntries(limit: number): Promise<PendingRow[]>;
  /** How many entries wait for the clustering leader. */
  pendingCount(): Promise<number>;
  /** Who holds the named lease (expired or not), or undefined. */
  lease(name: string): Promise<LeaseRow | undefined>;
  /**
   * The recent fetches (at most FETCH_HISTORY_KEPT) of the given sources, or of every source, in one query: by source
   * id, each source's oldest first. A source never fetched has no key.
   */
  fetchHistory(sourceIds?: readonly string[]): Promise<Map<string, FetchRecord[]>>;
}

/** The writes of a poll (and of recluster), made inside one transaction. */
export interface StorageWrites {
  /** Inserts a new entry (without a story yet) or updates an edited one; unchanged entries are left alone. `pending`: queue it (and an edited one) for the clustering leader. */
  upsertEntry(sourceId: string, e: EntryInput, now: number, pending?: boolean): Promise<UpsertOutcome>;
  /**
   * Inserts, in the order given (ids ascending), the entries whose key the source has not stored, without a story;
   * leaves stored ones alone and says which of them changed. One call per feed instead of one upsertEntry per entry.
   */
  insertNewEntries(sourceId: string, entries: readonly EntryInput[], now: number, pending?: boolean): Promise<NewEntryOutcome[]>;
  /** Takes entries out of the clustering queue, each only if still at the place it was read at (an edit since queues it again). */
  clearPending(rows: readonly { entryId: number; pendingSeq: number }[]): Promise<void>;
  /**
   * Renews the named lease if `holder` still holds it, until `until`; false when another process took it. Inside a
   * transaction it also locks the lease (PostgreSQL), so a leader's writes commit only while it leads.
   */
  renewLease(name: string, holder: string, until: number): Promise<boolean>;
  /** Tells every process that stories changed (a counter they check, and a notification on PostgreSQL), on commit. */
  noteStoriesChanged(): Promise<void>;
  /** Tells the clustering leader that entries wait (a notification on PostgreSQL, on commit; nothing on SQLite). */
  notePending(): Promise<void>;
  /** Gives up a source's lease after its poll, if `holder` still holds it. */
  releaseSource(id: string, holder: string): Promise<void>;
  /** Indexes (or re-indexes) an entry for full-text search under its normalised match terms. */
  indexForSearch(entryId: number, terms: readonly string[]): Promise<void>;
  /** Starts a story from a stored entry; its publication time is the entry's and never moves. */
  createStory(entryId: number): Promise<number>;
  /** Starts a story from a stored entry and puts the entry in it (createStory then assignStory, in one step). */
  startStory(entryId: number): Promise<number>;
  /** Puts an entry into a story. */
  assignStory(entryId: number, storyId: number): Promise<void>;
  /** Recomputes a story after an entry joined or changed: representative, counts, updated_at. */
  refreshStory(storyId: number, now: number): Promise<void>;
  /** A story is first published when its first-stored entry was (what polling gives); for a story whose members changed. */
  resetStoryTime(storyId: number): Promise<void>;
  /** Deletes a story if no entry belongs to it any more; true when deleted. */
  deleteStoryIfEmpty(storyId: number): Promise<boolean>;
  /** Deletes stories no entry belongs to any more; returns how many. */
  deleteEmptyStories(): Promise<number>;
  /** Moves entries between stories (recluster); every story that gained or lost entries is refreshed. */
  applyClusters(clusters: Cluster[], now: number): Promise<{ touched: number[]; deleted: number }>;
  /** Records a successful poll: clears the failure state, adds the fetch to the source's history and prunes it. */
  recordSuccess(id: string, u: SuccessUpdate): Promise<void>;
  /** Records a failed poll: counts it, schedules the retry, adds the fetch to the source's history and prunes it. */
  recordFailure(id: string, u: FailureUpdate): Promise<void>;
}

/** A row of store_meta: a fact the store keeps about itself. */
export interface MetaRow {
  key: string;
  value: string;
}

/**
 * The tables `storywire copy-db` moves, in the order it fills them (stories before the entries that point at them).
 * fetch_history goes too, so /sources still shows how each source has been doing after a move to another engine.
 */
export const COPY_TABLES = ['sources', 'store_meta', 'stories', 'entries', 'fetch_history'] as const;
export type CopyTable = (typeof COPY_TABLES)[number];

/** A stored fetch_history row, as copy-db moves it. */
export type FetchHistoryRow = FetchRecord & { id: number };

/** The row type of each copied table. */
export interface CopyRows {
  sources: SourceRow;
  store_meta: MetaRow;
  stories: StoryRow;
  entries: EntryRow;
  fetch_history: FetchHistoryRow;
}

/** The key a table is read in order of: a text key (sources.id, store_meta.key) or an integer id. */
export type CopyKey = string | number;

/** The highest id each numbered table has handed out (deleted rows included), so a copy never hands one out again. */
export interface IdCounters {
  stories: number;
  entries: number;
}

/** What copy-db reads of a source, all from one snapshot (see Storage.snapshot). */
export type SnapshotReads = Pick<Storage, 'exportRows' | 'countRows' | 'idCounters'>;

/** What a transaction offers: the writes and the reads, all in one unit that commits or rolls back whole. */
export interface StorageTx extends StorageReads, StorageWrites {}

/**
 * An open database. Writes called on the storage itself each run as their own transaction; `transaction` groups
 * several (the poll of one source is one). Transactions never interleave: one waits for the other to finish.
 */
export interface Storage extends StorageReads, StorageWrites {
  readonly engine: 'sqlite' | 'postgres';
  /** Where the database is (a file path, or a URL without its password), for messages. */
  readonly location: string;
  /** Runs `fn` in one write transaction: committed when it resolves, rolled back when it rejects (and the error rethrown). */
  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /** Creates rows for configured sources; a changed URL forgets the old URL's validators and redirect. */
  syncSources(defs: readonly SourceDefinition[]): Promise<void>;
  /**
   * Takes the named lease for `holder` until `until` when it is free, expired, held by a dead holder or already its
   * own; returns who holds it afterwards.
   */
  acquireLease(name: string, holder: string, now: number, until: number, isDead: (holder: string) => boolean): Promise<LeaseRow>;
  /** Gives the named lease up if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /**
   * Claims up to `limit` sources that are due (next poll time passed), not leased by a live holder, not in `skip` (the
   * ones this poller's config does not list) and whose host has a free slot, most overdue first; claims are made one
   * process at a time. Returns the claimed ids.
   */
  claimDueSources(limit: number, o: ClaimOptions, skip?: readonly string[]): Promise<string[]>;
  /** Claims one source whether due or not (a pass over every source): null when claimed, else why not. */
  claimSource(id: string, o: ClaimOptions & { dueOnly: boolean }): Promise<ClaimRefusal | null>;
  /** Extends every source lease `holder` holds until `until`; returns how many. */
  renewSourceLeases(holder: string, until: number): Promise<number>;
  /** Gives up every source lease `holder` holds (a poller stopping). */
  releaseSourceLeases(holder: string): Promise<void>;
  /** The counter noteStoriesChanged moves: changes when stories did, in any process. */
  storiesVersion(): Promise<string>;
  /**
   * Calls `fn` whenever another process notes a change on `channel` (PostgreSQL LISTEN); resolves with a function that
   * stops listening. On SQLite it never calls (processes there rely on checking storiesVersion).
   */
  listen(channel: 'stories' | 'pending', fn: () => void): Promise<() => Promise<void>>;
  /** Makes the search index match the entries under `analyzer`; cheap when nothing is to do. */
  ensureSearchIndex(analyzer: SearchAnalyzer): Promise<ReindexReport>;
  /** Rebuilds every entry's index row under `analyzer` (`storywire reindex`). */
  rebuildSearchIndex(analyzer: SearchAnalyzer): Promise<ReindexReport>;
  /** Re-indexes the entries stored or changed at or after `since`; returns how many. */
  reindexChangedSince(analyzer: SearchAnalyzer, since: number): Promise<number>;
  /** Up to `limit` rows of `table` whose key is above `after` (null: from the start), in key order (copy-db reads with this). */
  exportRows<T extends CopyTable>(table: T, after: CopyKey | null, limit: number): Promise<CopyRows[T][]>;
  /**
   * Runs `fn` over one read transaction: everything it reads is the database as it was when `fn` started, while other
   * processes (a poller) go on writing. copy-db reads its source with this, so the copy is one consistent state.
   */
  snapshot<T>(fn: (reads: SnapshotReads) => Promise<T>): Promise<T>;
  /** Inserts `rows` into `table` as they are, ids included, in one transaction (copy-db writes with this). */
  importRows<T extends CopyTable>(table: T, rows: CopyRows[T][]): Promise<void>;
  /** How many rows `table` holds. */
  countRows(table: CopyTable | 'search_index'): Promise<number>;
  /** The highest id handed out per numbered table (SQLite's AUTOINCREMENT counter, PostgreSQL's identity sequence). */
  idCounters(): Promise<IdCounters>;
  /** Moves each id counter to at least `c` and past every stored id, so new rows never reuse a copied or deleted id. */
  advanceIdCounters(c: IdCounters): Promise<void>;
  /** Copies the live database to `file` while it keeps running. */
  backup(file: string): Promise<{ pages: number; bytes: number }>;
  /** Throws when the database cannot answer a trivial query (/healthz). */
  health(): Promise<void>;
  /** The space the database takes (SQLite: its pages and its WAL; PostgreSQL: pg_database_size), for /metrics. */
  sizeBytes(): Promise<number>;
  /** A sentence naming the cause and the fix of a database error met while running, or null when `e` is not one. */
  describeError(e: unknown): string | null;
  close(): Promise<void>;
}

/** How to open the database. The defaults are the service's: create it if missing, migrate, read and write. */
export interface OpenOptions {
  /** Apply pending migrations (serve, poll, recluster). Commands that only read or copy pass false. */
  migrate?: boolean;
  /** Open read-only (commands that only read); implies no migration and a database that must exist. */
  readonly?: boolean;
  /** Refuse to create a missing database (commands that have nothing to do with an empty database). */
  mustExist?: boolean;
  /** Check the database's integrity after opening and refuse a damaged one (serve does, once, at start). */
  integrityCheck?: boolean;
  /** Accept a database an older storywire wrote without migrating it (backup copies any version). */
  anySchema?: boolean;
  /** How long to wait for another process's lock before giving up (5 s). */
  busyTimeoutMs?: number;
}
