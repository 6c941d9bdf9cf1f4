// What both engines share about transactions: one at a time per process, and writes made on the storage itself
// each run as a transaction of their own (never inside another caller's open one).
import type { StorageTx, StorageWrites } from './types.ts';

/** Runs async functions one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

type Transaction = <T>(fn: (tx: StorageTx) => Promise<T>) => Promise<T>;

/** The writes of StorageWrites, each in a transaction of its own through `transaction`. */
export function ownTransactions(transaction: Transaction): StorageWrites {
  return {
    upsertEntry: (sourceId, e, now, pending) => transaction((tx) => tx.upsertEntry(sourceId, e, now, pending)),
    insertNewEntries: (sourceId, entries, now, pending) => transaction((tx) => tx.insertNewEntries(sourceId, entries, now, pending)),
    clearPending: (rows) => transaction((tx) => tx.clearPending(rows)),
    renewLease: (name, holder, until) => transaction((tx) => tx.renewLease(name, holder, until)),
    noteStoriesChanged: () => transaction((tx) => tx.noteStoriesChanged()),
    notePending: () => transaction((tx) => tx.notePending()),
    releaseSource: (id, holder) => transaction((tx) => tx.releaseSource(id, holder)),
    indexForSearch: (entryId, terms) => transaction((tx) => tx.indexForSearch(entryId, terms)),
    createStory: (entryId) => transaction((tx) => tx.createStory(entryId)),
    startStory: (entryId) => transaction((tx) => tx.startStory(entryId)),
    assignStory: (entryId, storyId) => transaction((tx) => tx.assignStory(entryId, storyId)),
    refreshStory: (storyId, now) => transaction((tx) => tx.refreshStory(storyId, now)),
    resetStoryTime: (storyId) => transaction((tx) => tx.resetStoryTime(storyId)),
    deleteStoryIfEmpty: (storyId) => transaction((tx) => tx.deleteStoryIfEmpty(storyId)),
    deleteEmptyStories: () => transaction((tx) => tx.deleteEmptyStories()),
    applyClusters: (clusters, now) => transaction((tx) => tx.applyClusters(clusters, now)),
    recordSuccess: (id, u) => transaction((tx) => tx.recordSuccess(id, u)),
    recordFailure: (id, u) => transaction((tx) => tx.recordFailure(id, u)),
  };
}
