// The clustering queue: entries stored by pollers that do not lead (PostgreSQL, several pollers) wait with a queue
// place and no story, hidden from readers, until the leader assigns them in queue order: the order they were stored
// in, so the stories are those one process would have made storing them one after another.
import type { StorageTx } from '../store/index.ts';
import type { StoryAssigner } from './story-assigner.ts';

/** What assigning queued entries did. */
export interface QueueRun {
  /** Entries taken out of the queue. */
  assigned: number;
  changedStories: Set<number>;
  createdStories: number;
  /** True when the queue may hold more than this run took. */
  more: boolean;
}

/** How many queued entries one transaction assigns: small enough to keep a transaction short, large enough to amortise. */
export const QUEUE_BATCH = 500;

/** Assigns up to `limit` queued entries in queue order, inside the leader's transaction `tx`. */
export async function assignQueued(tx: StorageTx, assigner: StoryAssigner, now: number, limit = QUEUE_BATCH): Promise<QueueRun> {
  const rows = await tx.pendingEntries(limit);
  const run: QueueRun = { assigned: rows.length, changedStories: new Set(), createdStories: 0, more: rows.length === limit };
  if (!rows.length) return run;
  // New entries only: their canonical URLs' stories can be read at once (an edited one may move others; see expect).
  if (rows.every((r) => r.storyId === null)) await assigner.expect(tx, rows.flatMap((r) => (r.canonicalUrl ? [r.canonicalUrl] : [])));
  for (const r of rows) {
    const doc = { entryId: r.entryId, sourceId: r.sourceId, title: r.title, summary: r.summary, canonicalUrl: r.canonicalUrl, publishedAt: r.publishedAt };
    const a = r.storyId === null ? await assigner.assign(tx, doc, now) : await assigner.reassign(tx, doc, r.storyId, now);
    run.changedStories.add(a.storyId);
    if (a.leftStoryId !== null) run.changedStories.add(a.leftStoryId);
    if (a.created) run.createdStories++;
  }
  await tx.clearPending(rows.map((r) => ({ entryId: r.entryId, pendingSeq: r.pendingSeq })));
  return run;
}
