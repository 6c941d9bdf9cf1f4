// The Storage interface on SQLite: one better-sqlite3 connection, whose synchronous statements (entries.ts,
// stories.ts, sources.ts, search.ts) are wrapped in Promises. Write transactions are an explicit BEGIN IMMEDIATE /
// COMMIT / ROLLBACK on that connection (better-sqlite3's own transaction() cannot wrap an async function), one at a
// time behind a mutex, so two polls never interleave inside one. Reads outside a transaction run whenever they are
// called; on this single connection they also see the writes of a transaction still open.
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { Mutex, ownTransactions } from '../own-transactions.ts';
import type { EntryInput } from '../../model.ts';
import type {
  Cluster,
  EntryFilter,
  FailureUpdate,
  OpenOptions,
  RankFilter,
  SearchAnalyzer,
  SourceDefinition,
  Storage,
  StorageTx,
  StoryFilter,
  SuccessUpdate,
  TopFilter,
  CopyKey,
  CopyRows,
  CopyTable,
  IdCounters,
  SnapshotReads,
  ClaimOptions,
} from '../types.ts';
import * as leases from './leases.ts';
import { backupTo } from './backup.ts';
import { advanceIdCounters, countRows, exportRows, idCounters, importRows } from './copy.ts';
import { assignStory, clusteringInputs, clusteringInputsByArrival, entriesOfStories, hasEntryImage, insertNewEntries, listEntries, storiedEntriesBetween, storiesOfCanonicalUrls, storyOfCanonicalUrl, upsertEntry } from './entries.ts';
import { describeDatabaseError, openStore, type SqliteDb } from './open.ts';
import { ensureSearchIndex, indexForSearch, rebuildSearchIndex, reindexChangedSince } from './search.ts';
import { fetchHistory, recordFailure, recordSuccess, sourceState, sourceStates, syncSources } from './sources.ts';
import { applyClusters, createStory, deleteEmptyStories, deleteStoryIfEmpty, listStories, rankStories, refreshStory, resetStoryTime, storyById, storyEntryCount, topStories } from './stories.ts';

/** Reads and writes over a connection; `h` is the connection (a transaction refuses it once it ended). */
abstract class SqliteOps implements StorageTx {
  protected abstract get h(): SqliteDb;

  async sourceState(id: string) {
    return sourceState(this.h, id);
  }
  async sourceStates() {
    return sourceStates(this.h);
  }
  async listEntries(f: EntryFilter) {
    return listEntries(this.h, f);
  }
  async entriesOfStories(storyIds: number[]) {
    return entriesOfStories(this.h, storyIds);
  }
  async listStories(f: StoryFilter) {
    return listStories(this.h, f);
  }
  async topStories(f: TopFilter) {
    return topStories(this.h, f);
  }
  async rankStories(f: RankFilter) {
    return rankStories(this.h, f);
  }
  async storyById(id: number) {
    return storyById(this.h, id);
  }
  async storyEntryCount(storyId: number) {
    return storyEntryCount(this.h, storyId);
  }
  async storiedEntriesBetween(from: number, to: number) {
    return storiedEntriesBetween(this.h, from, to);
  }
  async storyOfCanonicalUrl(url: string, exceptEntryId: number) {
    return storyOfCanonicalUrl(this.h, url, exceptEntryId);
  }
  async storiesOfCanonicalUrls(urls: readonly string[]) {
    return storiesOfCanonicalUrls(this.h, urls);
  }
  async hasEntryImage(url: string) {
    return hasEntryImage(this.h, url);
  }
  async clusteringInputs(since: number, until?: number) {
    return clusteringInputs(this.h, since, until);
  }
  async clusteringInputsByArrival() {
    return clusteringInputsByArrival(this.h);
  }
  async pendingEntries(limit: number) {
    return leases.pendingEntries(this.h, limit);
  }
  async pendingCount() {
    return leases.pendingCount(this.h);
  }
  async lease(name: string) {
    return leases.lease(this.h, name);
  }
  async fetchHistory(sourceIds?: readonly string[]) {
    return fetchHistory(this.h, sourceIds);
  }

  async upsertEntry(sourceId: string, e: EntryInput, now: number, pending?: boolean) {
    return upsertEntry(this.h, sourceId, e, now, pending);
  }
  async insertNewEntries(sourceId: string, entries: readonly EntryInput[], now: number, pending?: boolean) {
    return insertNewEntries(this.h, sourceId, entries, now, pending);
  }
  async clearPending(rows: readonly { entryId: number; pendingSeq: number }[]) {
    leases.clearPending(this.h, rows);
  }
  async renewLease(name: string, holder: string, until: number) {
    return leases.renewLease(this.h, name, holder, until);
  }
  async noteStoriesChanged() {
    leases.noteStoriesChanged(this.h);
  }
  async notePending() {
    // Nothing to wake: on SQLite the one poller is the clustering leader, and assigns as it stores.
  }
  async releaseSource(id: string, holder: string) {
    leases.releaseSource(this.h, id, holder);
  }
  async indexForSearch(entryId: number, terms: readonly string[]) {
    indexForSearch(this.h, entryId, terms);
  }
  async createStory(entryId: number) {
    return createStory(this.h, entryId);
  }
  async startStory(entryId: number) {
    const storyId = createStory(this.h, entryId);
    assignStory(this.h, entryId, storyId);
    return storyId;
  }
  async assignStory(entryId: number, storyId: number) {
    assignStory(this.h, entryId, storyId);
  }
  async refreshStory(storyId: number, now: number) {
    refreshStory(this.h, storyId, now);
  }
  async resetStoryTime(storyId: number) {
    resetStoryTime(this.h, storyId);
  }
  async deleteStoryIfEmpty(storyId: number) {
    return deleteStoryIfEmpty(this.h, storyId);
  }
  async deleteEmptyStories() {
    return deleteEmptyStories(this.h);
  }
  async applyClusters(clusters: Cluster[], now: number) {
    return applyClusters(this.h, clusters, now);
  }
  async recordSuccess(id: string, u: SuccessUpdate) {
    recordSuccess(this.h, id, u);
  }
  async recordFailure(id: string, u: FailureUpdate) {
    recordFailure(this.h, id, u);
  }
}

/** The operations of one open transaction; unusable once it committed or rolled back. */
class SqliteTx extends SqliteOps {
  private ended = false;

  constructor(private readonly conn: SqliteDb) {
    super();
  }

  protected get h(): SqliteDb {
    if (this.ended) throw new Error('storage: this transaction has ended; use the storage, or a new transaction');
    return this.conn;
  }

  end(): void {
    this.ended = true;
  }
}

/** storywire's database on SQLite. `sqlite` is the raw connection, for SQLite-specific tests and tools only. */
export class SqliteStorage extends SqliteOps implements Storage {
  readonly engine = 'sqlite' as const;
  readonly location: string;
  private readonly lock = new Mutex();
  private readonly control: { begin: Database.Statement; beginRead: Database.Statement; readSchema: Database.Statement; commit: Database.Statement; rollback: Database.Statement; ping: Database.Statement };

  constructor(private readonly conn: SqliteDb) {
    super();
    // Writes called on the storage itself: each is a transaction of its own, never inside another caller's.
    Object.assign(this, ownTransactions(this.transaction.bind(this)));
    this.location = conn.sqlite.name;
    // Transaction control and the health probe are SQL of their own, with nothing for drizzle to build.
    this.control = {
      begin: conn.sqlite.prepare('BEGIN IMMEDIATE'),
      beginRead: conn.sqlite.prepare('BEGIN DEFERRED'),
      // Reads the database file (SELECT 1 does not), so the snapshot is taken here.
      readSchema: conn.sqlite.prepare('SELECT COUNT(*) FROM sqlite_master'),
      commit: conn.sqlite.prepare('COMMIT'),
      rollback: conn.sqlite.prepare('ROLLBACK'),
      ping: conn.sqlite.prepare('SELECT 1'),
    };
  }

  protected get h(): SqliteDb {
    return this.conn;
  }

  /** The raw better-sqlite3 connection (SQLite-specific tests and benchmarks; nothing outside src/store uses it). */
  get sqlite(): Database.Database {
    return this.conn.sqlite;
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const tx = new SqliteTx(this.conn);
      this.control.begin.run();
      try {
        const result = await fn(tx);
        this.control.commit.run();
        return result;
      } catch (e) {
        // A failed COMMIT (disk full) can leave the transaction open; a statement error may already have ended it.
        if (this.conn.sqlite.inTransaction) this.control.rollback.run();
        throw e;
      } finally {
        tx.end();
      }
    });
  }

  // These commit in batches of their own (better-sqlite3 transactions, synchronous): the mutex keeps them out of an open transaction.
  syncSources(defs: readonly SourceDefinition[]): Promise<void> {
    return this.lock.run(async () => syncSources(this.conn, defs));
  }
  acquireLease(name: string, holder: string, now: number, until: number, isDead: (holder: string) => boolean) {
    return this.lock.run(async () => leases.acquireLease(this.conn, name, holder, now, until, isDead));
  }
  releaseLease(name: string, holder: string) {
    return this.lock.run(async () => leases.releaseLease(this.conn, name, holder));
  }
  override renewLease(name: string, holder: string, until: number) {
    return this.lock.run(async () => leases.renewLease(this.conn, name, holder, until));
  }
  claimDueSources(limit: number, o: ClaimOptions, skip?: readonly string[]) {
    return this.lock.run(async () => leases.claimDueSources(this.conn, limit, o, skip));
  }
  claimSource(id: string, o: ClaimOptions & { dueOnly: boolean }) {
    return this.lock.run(async () => leases.claimSource(this.conn, id, o));
  }
  renewSourceLeases(holder: string, until: number) {
    return this.lock.run(async () => leases.renewSourceLeases(this.conn, holder, until));
  }
  releaseSourceLeases(holder: string) {
    return this.lock.run(async () => leases.releaseSourceLeases(this.conn, holder));
  }
  async storiesVersion() {
    return leases.storiesVersion(this.conn);
  }
  async listen(): Promise<() => Promise<void>> {
    // SQLite has no notifications: readers check storiesVersion.
    return async () => {};
  }
  ensureSearchIndex(analyzer: SearchAnalyzer) {
    return this.lock.run(async () => ensureSearchIndex(this.conn, analyzer));
  }
  rebuildSearchIndex(analyzer: SearchAnalyzer) {
    return this.lock.run(async () => rebuildSearchIndex(this.conn, analyzer));
  }
  reindexChangedSince(analyzer: SearchAnalyzer, since: number) {
    return this.lock.run(async () => reindexChangedSince(this.conn, analyzer, since));
  }

  // copy-db: reads in key order; writes (each batch one transaction) behind the mutex, out of any open transaction.
  async exportRows<T extends CopyTable>(table: T, after: CopyKey | null, limit: number) {
    return exportRows(this.conn, table, after, limit);
  }
  snapshot<T>(fn: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    // A deferred BEGIN takes its snapshot at the first read and keeps it until COMMIT; in WAL mode writers in other
    // processes go on meanwhile. Behind the mutex: on this one connection no write transaction may start inside it.
    return this.lock.run(async () => {
      this.control.beginRead.run();
      try {
        this.control.readSchema.get();
        return await fn({
          exportRows: async (table, after, limit) => exportRows(this.conn, table, after, limit),
          countRows: async (table) => countRows(this.conn, table),
          idCounters: async () => idCounters(this.conn),
        });
      } finally {
        if (this.conn.sqlite.inTransaction) this.control.commit.run();
      }
    });
  }
  importRows<T extends CopyTable>(table: T, rows: CopyRows[T][]) {
    return this.lock.run(async () => importRows(this.conn, table, rows));
  }
  async countRows(table: CopyTable | 'search_index') {
    return countRows(this.conn, table);
  }
  async idCounters() {
    return idCounters(this.conn);
  }
  advanceIdCounters(c: IdCounters) {
    return this.lock.run(async () => advanceIdCounters(this.conn, c));
  }

  backup(file: string) {
    return backupTo(this.conn, file);
  }

  async health(): Promise<void> {
    this.control.ping.get();
  }

  async sizeBytes(): Promise<number> {
    const pages = Number(this.conn.sqlite.pragma('page_count', { simple: true })) * Number(this.conn.sqlite.pragma('page_size', { simple: true }));
    const wal = `${this.conn.sqlite.name}-wal`;
    return pages + (this.conn.sqlite.memory || !fs.existsSync(wal) ? 0 : fs.statSync(wal).size);
  }

  describeError(e: unknown): string | null {
    return describeDatabaseError(e, this.conn);
  }

  async close(): Promise<void> {
    // Let a transaction under way finish rather than cut it off.
    await this.lock.run(async () => this.conn.close());
  }
}

/** Opens (creating its folder) and migrates the SQLite database at `file`; ":memory:" for tests. */
export function openSqliteStorage(file: string, opts: OpenOptions = {}): SqliteStorage {
  return new SqliteStorage(openStore(file, opts));
}
