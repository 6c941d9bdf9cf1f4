// The Storage interface on PostgreSQL: a postgres.js pool with drizzle over it. A transaction is one
// `sql.begin` (drizzle's db.transaction on postgres.js) whose statements run on one connection; within this process
// transactions run one at a time behind a mutex, as on SQLite, so two polls never interleave and the clusterer inside a
// poll reads a window no other poll of this process is changing. Reads outside a transaction use any pooled connection
// and see committed data only (SQLite's single connection also sees a transaction still open).
import { sql } from 'drizzle-orm';
import type { EntryInput } from '../../model.ts';
import { OperatorError } from '../../lib/operator-error.ts';
import { Mutex, ownTransactions } from '../own-transactions.ts';
import type { ClaimOptions, Cluster, CopyKey, CopyRows, CopyTable, IdCounters, EntryFilter, SnapshotReads, FailureUpdate, OpenOptions, RankFilter, SearchAnalyzer, SourceDefinition, Storage, StorageTx, StoryFilter, SuccessUpdate, TopFilter } from '../types.ts';
import { assignStory, clusteringInputs, clusteringInputsByArrival, entriesOfStories, hasEntryImage, insertNewEntries, listEntries, storiedEntriesBetween, storiesOfCanonicalUrls, storyOfCanonicalUrl, upsertEntry } from './entries.ts';
import { advanceIdCounters, countRows, exportRows, idCounters, importRows } from './copy.ts';
import { describePgError, openPg, type PgConn, type PgDb } from './open.ts';
import * as leases from './leases.ts';
import { ensureSearchIndex, indexForSearch, indexManyForSearch, rebuildSearchIndex, reindexChangedSince } from './search.ts';
import { fetchHistory, recordFailure, recordSuccess, sourceState, sourceStates, syncSources } from './sources.ts';
import { applyClusters, createStory, deleteEmptyStories, deleteStoryIfEmpty, listStories, rankStories, refreshStory, resetStoryTime, startStory, storyById, storyEntryCount, topStories } from './stories.ts';

/** Reads and writes over the pool or one transaction; `h` refuses a transaction that ended. */
abstract class PgOps implements StorageTx {
  protected abstract get h(): PgDb;

  sourceState(id: string) {
    return sourceState(this.h, id);
  }
  sourceStates() {
    return sourceStates(this.h);
  }
  listEntries(f: EntryFilter) {
    return listEntries(this.h, f);
  }
  entriesOfStories(storyIds: number[]) {
    return entriesOfStories(this.h, storyIds);
  }
  listStories(f: StoryFilter) {
    return listStories(this.h, f);
  }
  topStories(f: TopFilter) {
    return topStories(this.h, f);
  }
  rankStories(f: RankFilter) {
    return rankStories(this.h, f);
  }
  storyById(id: number) {
    return storyById(this.h, id);
  }
  storyEntryCount(storyId: number) {
    return storyEntryCount(this.h, storyId);
  }
  storiedEntriesBetween(from: number, to: number) {
    return storiedEntriesBetween(this.h, from, to);
  }
  storyOfCanonicalUrl(url: string, exceptEntryId: number) {
    return storyOfCanonicalUrl(this.h, url, exceptEntryId);
  }
  storiesOfCanonicalUrls(urls: readonly string[]) {
    return storiesOfCanonicalUrls(this.h, urls);
  }
  hasEntryImage(url: string) {
    return hasEntryImage(this.h, url);
  }
  clusteringInputs(since: number, until?: number) {
    return clusteringInputs(this.h, since, until);
  }
  clusteringInputsByArrival() {
    return clusteringInputsByArrival(this.h);
  }
  pendingEntries(limit: number) {
    return leases.pendingEntries(this.h, limit);
  }
  pendingCount() {
    return leases.pendingCount(this.h);
  }
  lease(name: string) {
    return leases.lease(this.h, name);
  }
  fetchHistory(sourceIds?: readonly string[]) {
    return fetchHistory(this.h, sourceIds);
  }

  upsertEntry(sourceId: string, e: EntryInput, now: number, pending?: boolean) {
    return upsertEntry(this.h, sourceId, e, now, pending);
  }
  insertNewEntries(sourceId: string, entries: readonly EntryInput[], now: number, pending?: boolean) {
    return insertNewEntries(this.h, sourceId, entries, now, pending);
  }
  clearPending(rows: readonly { entryId: number; pendingSeq: number }[]) {
    return leases.clearPending(this.h, rows);
  }
  renewLease(name: string, holder: string, until: number) {
    return leases.renewLease(this.h, name, holder, until);
  }
  noteStoriesChanged() {
    return leases.noteStoriesChanged(this.h);
  }
  notePending() {
    return leases.notePending(this.h);
  }
  releaseSource(id: string, holder: string) {
    return leases.releaseSource(this.h, id, holder);
  }
  indexForSearch(entryId: number, terms: readonly string[]) {
    return indexForSearch(this.h, entryId, terms);
  }
  createStory(entryId: number) {
    return createStory(this.h, entryId);
  }
  startStory(entryId: number) {
    return startStory(this.h, entryId);
  }
  assignStory(entryId: number, storyId: number) {
    return assignStory(this.h, entryId, storyId);
  }
  refreshStory(storyId: number, now: number) {
    return refreshStory(this.h, storyId, now);
  }
  resetStoryTime(storyId: number) {
    return resetStoryTime(this.h, storyId);
  }
  deleteStoryIfEmpty(storyId: number) {
    return deleteStoryIfEmpty(this.h, storyId);
  }
  deleteEmptyStories() {
    return deleteEmptyStories(this.h);
  }
  applyClusters(clusters: Cluster[], now: number) {
    return applyClusters(this.h, clusters, now);
  }
  recordSuccess(id: string, u: SuccessUpdate) {
    return recordSuccess(this.h, id, u);
  }
  recordFailure(id: string, u: FailureUpdate) {
    return recordFailure(this.h, id, u);
  }
}

class PgTx extends PgOps {
  private ended = false;
  // Writes sent without waiting for their answer, and the first of them that failed.
  private readonly sent: Promise<void>[] = [];
  private failure: { error: unknown } | null = null;
  // Search index rows not sent yet, by entry (the last terms of an entry indexed twice win, as with one upsert each).
  private readonly unindexed = new Map<number, readonly string[]>();

  constructor(private readonly tx: PgDb) {
    super();
  }

  protected get h(): PgDb {
    if (this.ended) throw new Error('storage: this transaction has ended; use the storage, or a new transaction');
    return this.tx;
  }

  // A poll writes several rows per entry whose answer nothing waits for; waiting for each would cost a round trip
  // apiece. They are sent and not awaited: the transaction's statements run on its one connection in the order sent,
  // so a later read sees them, and settle() (before COMMIT) waits for all and throws the first failure.
  // Search index rows are not even sent one by one: only searches read them, so they wait here and go as one
  // statement before COMMIT, or before a search of this transaction.
  override indexForSearch(entryId: number, terms: readonly string[]) {
    this.unindexed.set(entryId, terms);
    return Promise.resolve();
  }
  override async listEntries(f: EntryFilter) {
    if (f.terms) this.flushIndex();
    return super.listEntries(f);
  }
  override async listStories(f: StoryFilter) {
    if (f.terms) this.flushIndex();
    return super.listStories(f);
  }
  override async topStories(f: TopFilter) {
    if (f.terms) this.flushIndex();
    return super.topStories(f);
  }
  override async rankStories(f: RankFilter) {
    this.flushIndex();
    return super.rankStories(f);
  }
  override assignStory(entryId: number, storyId: number) {
    return this.send(super.assignStory(entryId, storyId));
  }
  override refreshStory(storyId: number, now: number) {
    return this.send(super.refreshStory(storyId, now));
  }

  private flushIndex(): void {
    if (!this.unindexed.size) return;
    void this.send(indexManyForSearch(this.h, new Map(this.unindexed)));
    this.unindexed.clear();
  }

  private send(write: Promise<void>): Promise<void> {
    this.sent.push(write.catch((error) => void (this.failure ??= { error })));
    return Promise.resolve();
  }

  /** Waits for the writes sent; throws the first that failed. */
  async settle(): Promise<void> {
    this.flushIndex();
    await this.drain();
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the writes sent, sending none held back (the transaction is rolling back). */
  async drain(): Promise<void> {
    await Promise.all(this.sent);
  }

  /** The error to report for a failed transaction: a sent write's own failure, not the "transaction aborted" after it. */
  cause(e: unknown): unknown {
    return this.failure?.error ?? e;
  }

  end(): void {
    this.ended = true;
  }
}

/** storywire's database on PostgreSQL. */
export class PgStorage extends PgOps implements Storage {
  readonly engine = 'postgres' as const;
  readonly location: string;
  private readonly lock = new Mutex();

  constructor(private readonly conn: PgConn) {
    super();
    // Writes called on the storage itself: each is a transaction of its own, never inside another caller's.
    Object.assign(this, ownTransactions(this.transaction.bind(this)));
    this.location = conn.location;
  }

  protected get h(): PgDb {
    return this.conn.db;
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.lock.run(() =>
      // drizzle's transaction on postgres.js is sql.begin: BEGIN on one reserved connection, COMMIT when fn resolves,
      // ROLLBACK (and the error rethrown) when it rejects.
      this.conn.db.transaction(async (tx) => {
        const handle = new PgTx(tx);
        try {
          const result = await fn(handle);
          await handle.settle();
          return result;
        } catch (e) {
          await handle.drain();
          throw handle.cause(e);
        } finally {
          handle.end();
        }
      }),
    );
  }

  // These commit in batches of their own: the mutex keeps them out of an open transaction of this process.
  syncSources(defs: readonly SourceDefinition[]): Promise<void> {
    return this.lock.run(() => syncSources(this.conn.db, defs));
  }

  // Leases and claims run on a pooled connection of their own, outside the mutex: a poll committing in this process
  // must not hold up a heartbeat or another fetch's claim (they touch no row clustering reads).
  acquireLease(name: string, holder: string, now: number, until: number, isDead: (holder: string) => boolean) {
    return leases.acquireLease(this.conn.db, name, holder, now, until, isDead);
  }
  releaseLease(name: string, holder: string) {
    return leases.releaseLease(this.conn.db, name, holder);
  }
  override renewLease(name: string, holder: string, until: number) {
    return leases.renewLease(this.conn.db, name, holder, until);
  }
  claimDueSources(limit: number, o: ClaimOptions, skip?: readonly string[]) {
    return leases.claimDueSources(this.conn.db, limit, o, skip);
  }
  claimSource(id: string, o: ClaimOptions & { dueOnly: boolean }) {
    return leases.claimSource(this.conn.db, id, o);
  }
  renewSourceLeases(holder: string, until: number) {
    return leases.renewSourceLeases(this.conn.db, holder, until);
  }
  releaseSourceLeases(holder: string) {
    return leases.releaseSourceLeases(this.conn.db, holder);
  }
  override releaseSource(id: string, holder: string) {
    return leases.releaseSource(this.conn.db, id, holder);
  }
  storiesVersion() {
    return leases.storiesVersion(this.conn.db);
  }
  async listen(channel: 'stories' | 'pending', fn: () => void): Promise<() => Promise<void>> {
    // postgres.js keeps one extra connection for LISTEN and re-listens after reconnecting.
    const { unlisten } = await this.conn.client.listen(leases.CHANNELS[channel], () => fn());
    return unlisten;
  }
  ensureSearchIndex(analyzer: SearchAnalyzer) {
    return this.lock.run(() => ensureSearchIndex(this.conn.db, analyzer));
  }
  rebuildSearchIndex(analyzer: SearchAnalyzer) {
    return this.lock.run(() => rebuildSearchIndex(this.conn.db, analyzer));
  }
  reindexChangedSince(analyzer: SearchAnalyzer, since: number) {
    return this.lock.run(() => reindexChangedSince(this.conn.db, analyzer, since));
  }

  // copy-db: reads in key order; writes (each batch one transaction) behind the mutex, out of any open transaction.
  exportRows<T extends CopyTable>(table: T, after: CopyKey | null, limit: number) {
    return exportRows(this.conn.db, table, after, limit);
  }
  snapshot<T>(fn: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    // REPEATABLE READ: every statement of the transaction sees the snapshot its first statement took.
    return this.conn.db.transaction(
      (tx) =>
        fn({
          exportRows: (table, after, limit) => exportRows(tx, table, after, limit),
          countRows: (table) => countRows(tx, table),
          idCounters: () => idCounters(tx),
        }),
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }
  importRows<T extends CopyTable>(table: T, rows: CopyRows[T][]) {
    return this.lock.run(() => importRows(this.conn.db, table, rows));
  }
  countRows(table: CopyTable | 'search_index') {
    return countRows(this.conn.db, table);
  }
  idCounters() {
    return idCounters(this.conn.db);
  }
  advanceIdCounters(c: IdCounters) {
    return this.lock.run(() => advanceIdCounters(this.conn.db, c));
  }

  /** PostgreSQL is backed up by pg_dump, which takes a consistent snapshot while storywire runs: this names the command. */
  async backup(file: string): Promise<{ pages: number; bytes: number }> {
    throw new OperatorError(`storywire backup copies SQLite databases only; back up PostgreSQL with: pg_dump --format=custom --file ${shellQuote(file)} ${shellQuote(this.location)}`);
  }

  async health(): Promise<void> {
    await this.conn.db.execute(sql`SELECT 1`);
  }

  async sizeBytes(): Promise<number> {
    // Raw SQL: a server function drizzle has no builder for.
    const [row] = await this.conn.db.execute<{ n: number }>(sql`SELECT pg_database_size(current_database()) AS n`);
    return Number(row!.n);
  }

  describeError(e: unknown): string | null {
    const cause = e instanceof Error && e.cause instanceof Error && !(e as { code?: unknown }).code ? e.cause : e;
    return describePgError(cause, this.location, 'run');
  }

  async close(): Promise<void> {
    // Let a transaction under way finish rather than cut it off.
    await this.lock.run(() => this.conn.client.end({ timeout: 5 }));
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Opens the PostgreSQL database at `url` and migrates it (or checks it is migrated) as `opts` says. */
export async function openPgStorage(url: string, opts: OpenOptions = {}): Promise<PgStorage> {
  return new PgStorage(await openPg(url, opts));
}
