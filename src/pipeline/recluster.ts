// Rebuilds stories from stored entries (after a model or alias change), keeping story ids where it can.
import { StoryClusterer, type ClustererOptions } from '../stories/index.ts';
import { applyClusters, clusteringInputs, deleteEmptyStories, inTransaction, type Store } from '../store/index.ts';

/** What a recluster changed. */
export interface ReclusterSummary {
  entries: number;
  stories: number;
  storiesKept: number;
  storiesCreated: number;
  storiesDeleted: number;
  entriesMoved: number;
}

/**
 * Re-decides the story of every entry published since `since`, in publication order, with a fresh clusterer.
 * Entries before `since` keep their stories (and seed the index). A new cluster takes the id of the old story
 * it shares most entries with (unchanged memberships keep their ids); the rest get new ids.
 */
export function recluster(store: Store, options: ClustererOptions, since: number, now: number): ReclusterSummary {
  const windowMs = (options.windowHours ?? 72) * 3_600_000;
  const clusterer = new StoryClusterer(options);
  const seed = clusteringInputs(store, since - windowMs, since - 1);
  for (const row of seed) if (row.storyId !== null) clusterer.add(row, row.storyId);
  const rows = clusteringInputs(store, since);
  const labels = new Map<number, number[]>();
  let nextLabel = -1;
  for (const row of rows) {
    const label = clusterer.decide(row).storyId ?? nextLabel--;
    clusterer.add(row, label);
    labels.set(label, [...(labels.get(label) ?? []), row.entryId]);
  }
  const oldStory = new Map(rows.map((r) => [r.entryId, r.storyId]));
  const clusters = assignIds(labels, oldStory, new Set(seed.map((r) => r.storyId!)));
  const newStory = new Map(clusters.flatMap((c) => c.entryIds.map((id) => [id, c.storyId] as const)));
  const moved = rows.filter((r) => newStory.get(r.entryId) !== r.storyId).length;
  return inTransaction(store, () => {
    const before = new Set(rows.map((r) => r.storyId));
    applyClusters(store, clusters, now);
    const deleted = deleteEmptyStories(store);
    const kept = clusters.filter((c) => c.storyId !== null && before.has(c.storyId)).length;
    return { entries: rows.length, stories: clusters.length, storiesKept: kept, storiesCreated: clusters.filter((c) => c.storyId === null).length, storiesDeleted: deleted, entriesMoved: moved };
  });
}

// Stories that began before `since` keep their ids; then the largest clusters choose first, so an id follows the bulk of its coverage.
function assignIds(labels: Map<number, number[]>, oldStory: Map<number, number | null>, seededStories: Set<number>) {
  // A story that also holds entries from before `since` is never handed to another cluster.
  const claimed = new Set(seededStories);
  const ordered = [...labels.entries()].sort((a, b) => Number(b[0] > 0) - Number(a[0] > 0) || b[1].length - a[1].length || a[0] - b[0]);
  return ordered.map(([label, entryIds]) => {
    if (label > 0) return { storyId: label as number | null, entryIds };
    const votes = new Map<number, number>();
    for (const id of entryIds) {
      const old = oldStory.get(id);
      if (old != null && !claimed.has(old)) votes.set(old, (votes.get(old) ?? 0) + 1);
    }
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
    if (best !== null) claimed.add(best);
    return { storyId: best, entryIds };
  });
}
