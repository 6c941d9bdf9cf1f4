// Rebuilds stories from stored entries (after a model or alias change), keeping story ids where it can.
import { StoryWindow, type ClustererOptions, type ClusteringSource, type StoredDoc } from '../stories/index.ts';
import type { ClusteringRow, Storage } from '../store/index.ts';

/** What a recluster changed. */
export interface ReclusterSummary {
  entries: number;
  stories: number;
  storiesKept: number;
  storiesCreated: number;
  storiesDeleted: number;
  entriesMoved: number;
}

type Row = ClusteringRow;

/**
 * Re-decides the story of every entry published since `since` the way polling decided it: in arrival order,
 * each against the entries that arrived before it, so right after a poll nothing changes. Entries published
 * before `since` keep their stories. A new cluster takes the id of the old story it shares most entries with
 * (unchanged memberships keep their ids and are not written); the rest get new stories.
 */
export async function recluster(store: Storage, options: ClustererOptions, since: number, now: number): Promise<ReclusterSummary> {
  const rows = await store.clusteringInputsByArrival();
  const replay = new Replay(rows);
  const window = new StoryWindow(replay, options);
  for (const row of rows) if (row.publishedAt < since && row.storyId !== null) replay.label(row, row.storyId);
  // New clusters are labelled above every stored story id, in creation order, as polling numbers new stories: ties
  // between stories (broken by the lowest id) then go the same way in the replay as they went in polling.
  const firstNew = rows.reduce((m, r) => Math.max(m, r.storyId ?? 0), 0) + 1;
  let nextLabel = firstNew;
  const redecided = rows.filter((r) => r.publishedAt >= since || r.storyId === null);
  for (const row of redecided) {
    const label = (await window.decide(row)).storyId ?? nextLabel++;
    replay.label(row, label);
    window.add(row, label);
  }
  const labels = new Map<number, number[]>();
  for (const row of redecided) {
    const label = replay.labelOf(row.entryId)!;
    const members = labels.get(label);
    if (members) members.push(row.entryId);
    else labels.set(label, [row.entryId]);
  }
  const oldStory = new Map(redecided.map((r) => [r.entryId, r.storyId]));
  const seeded = new Set(rows.filter((r) => r.publishedAt < since && r.storyId !== null).map((r) => r.storyId!));
  const clusters = assignIds(labels, oldStory, seeded, firstNew);
  const changed = clusters.filter((c) => c.entryIds.some((id) => oldStory.get(id) !== c.storyId) || c.storyId === null);
  const moved = changed.reduce((n, c) => n + c.entryIds.filter((id) => oldStory.get(id) !== c.storyId).length, 0);
  return store.transaction(async (tx) => {
    const before = new Set(redecided.map((r) => r.storyId));
    const deleted = (await tx.applyClusters(changed, now)).deleted + (await tx.deleteEmptyStories());
    const kept = clusters.filter((c) => c.storyId !== null && before.has(c.storyId)).length;
    const created = clusters.filter((c) => c.storyId === null).length;
    // Web servers in other processes drop what they cached of the old stories.
    if (changed.length || deleted) await tx.noteStoriesChanged();
    return { entries: redecided.length, stories: clusters.length, storiesKept: kept, storiesCreated: created, storiesDeleted: deleted, entriesMoved: moved };
  });
}

/** The stored entries as the window sees them during a replay: only those already given a (new) story. */
class Replay implements ClusteringSource {
  private readonly byTime: Row[];
  private readonly byUrl = new Map<string, Row[]>();
  private readonly labels = new Map<number, number>();

  constructor(rows: Row[]) {
    this.byTime = [...rows].sort((a, b) => a.publishedAt - b.publishedAt || a.entryId - b.entryId);
    for (const r of rows) {
      if (!r.canonicalUrl) continue;
      const same = this.byUrl.get(r.canonicalUrl);
      if (same) same.push(r);
      else this.byUrl.set(r.canonicalUrl, [r]);
    }
  }

  label(row: Row, storyId: number): void {
    this.labels.set(row.entryId, storyId);
  }

  labelOf(entryId: number): number | undefined {
    return this.labels.get(entryId);
  }

  async between(from: number, to: number): Promise<StoredDoc[]> {
    const out: StoredDoc[] = [];
    for (let i = lowerBound(this.byTime, from); i < this.byTime.length && this.byTime[i].publishedAt <= to; i++) {
      const r = this.byTime[i];
      const storyId = this.labels.get(r.entryId);
      if (storyId !== undefined) out.push({ ...r, storyId });
    }
    return out;
  }

  async storyOfUrl(url: string, exceptEntryId: number): Promise<number | null> {
    // Rows are listed by arrival (id), so the first labelled one is the first stored.
    for (const r of this.byUrl.get(url) ?? []) {
      const storyId = this.labels.get(r.entryId);
      if (r.entryId !== exceptEntryId && storyId !== undefined) return storyId;
    }
    return null;
  }
}

function lowerBound(rows: Row[], t: number): number {
  let a = 0, b = rows.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (rows[m].publishedAt < t) a = m + 1;
    else b = m;
  }
  return a;
}

// Stories that began before `since` keep their ids; then the largest clusters choose first, so an id follows the bulk of its coverage.
function assignIds(labels: Map<number, number[]>, oldStory: Map<number, number | null>, seededStories: Set<number>, firstNew: number) {
  // A story that also holds entries from before `since` is never handed to another cluster.
  const claimed = new Set(seededStories);
  const seeded = (label: number) => label < firstNew;
  const ordered = [...labels.entries()].sort((a, b) => Number(seeded(b[0])) - Number(seeded(a[0])) || b[1].length - a[1].length || a[0] - b[0]);
  return ordered.map(([label, entryIds]) => {
    if (seeded(label)) return { storyId: label as number | null, entryIds };
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
