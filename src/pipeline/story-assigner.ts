// Keeps the in-memory clusterer in step with the store: warmed from stored entries, fed new ones in the poll's transaction.
import { normalizeForMatch, StoryClusterer, type ClusterDoc, type ClustererOptions } from '../stories/index.ts';
import { assignStory, clusteringInputs, createStory, refreshStory, type Store } from '../store/index.ts';

/** Assigns stored entries to stories; holds the clusterer's index of the recent window. */
export class StoryAssigner {
  private clusterer: StoryClusterer;

  constructor(
    private readonly store: Store,
    private readonly options: ClustererOptions & { windowMs: number },
    private readonly observe: (seconds: number) => void = () => {},
  ) {
    this.clusterer = new StoryClusterer(options);
  }

  /** Rebuilds the index from the entries of the last window (at start-up, or after a rolled-back transaction). */
  warmUp(now: number): number {
    this.clusterer = new StoryClusterer(this.options);
    const rows = clusteringInputs(this.store, now - 2 * this.options.windowMs);
    for (const row of rows) if (row.storyId !== null) this.clusterer.add(row, row.storyId);
    return rows.length;
  }

  /** Decides the story of a newly stored entry, creating one when it reports something new; returns the story id. */
  assign(doc: ClusterDoc, now: number): { storyId: number; created: boolean } {
    const started = performance.now();
    const decision = this.clusterer.decide(doc);
    let storyId = decision.storyId;
    if (storyId === null) {
      storyId = createStory(this.store, doc.entryId);
      assignStory(this.store, doc.entryId, storyId);
    } else {
      assignStory(this.store, doc.entryId, storyId);
      refreshStory(this.store, storyId, now);
    }
    this.clusterer.add(doc, storyId);
    this.observe((performance.now() - started) / 1000);
    return { storyId, created: decision.storyId === null };
  }

  /** The normalised terms of a text, as clustering sees them (names folded, aliases applied): what search indexes. */
  terms(text: string): string[] {
    return normalizeForMatch(text, this.options.aliases);
  }

  /** Forgets index state older than the window, so memory stays bounded as time passes. */
  prune(now: number): void {
    this.clusterer.prune(now);
  }
}
