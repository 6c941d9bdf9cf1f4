// Assigns stored entries to stories in the poll's transaction, deciding against the stored entries around each one.
import type { Config } from '../config/index.ts';
import { normalizeForMatch, StoryWindow, type AliasTable, type ClusterDoc, type ClustererOptions } from '../stories/index.ts';
import { assignStory, createStory, deleteStoryIfEmpty, refreshStory, resetStoryTime, storiedEntriesBetween, storyEntryCount, storyOfCanonicalUrl, type Store } from '../store/index.ts';

/** The clusterer's settings from the config: the story window (the one conversion from its ms) and the alias table. */
export function clustererOptions(config: Config, aliases: AliasTable): ClustererOptions {
  return { windowHours: config.settings.storyWindowMs / 3_600_000, aliases };
}

/** What assigning (or re-checking) an entry did to stories. */
export interface Assignment {
  storyId: number;
  created: boolean;
  /** The story an edited entry left, when it moved (deleted if it emptied). */
  leftStoryId: number | null;
}

/** Assigns stored entries to stories; its window over the stored entries is a cache of the database, never a source of truth. */
export class StoryAssigner {
  private readonly window: StoryWindow;

  constructor(
    private readonly store: Store,
    private readonly options: ClustererOptions,
    private readonly observe: (seconds: number) => void = () => {},
  ) {
    this.window = new StoryWindow(
      { between: (from, to) => storiedEntriesBetween(store, from, to), storyOfUrl: (url, except) => storyOfCanonicalUrl(store, url, except) },
      options,
    );
  }

  /** Forgets the window, so the next decision reads the database afresh (each pass, and after a rolled-back transaction). */
  resync(): void {
    this.window.reset();
  }

  /** Decides the story of a newly stored entry, creating one when it reports something new. */
  assign(doc: ClusterDoc, now: number): Assignment {
    const started = performance.now();
    const decision = this.window.decide(doc);
    const storyId = this.place(doc, decision.storyId, now);
    this.observe((performance.now() - started) / 1000);
    return { storyId, created: decision.storyId === null, leftStoryId: null };
  }

  /**
   * Re-checks an edited entry: it stays in its story while it still fits there (same URL or headline, or similar
   * enough to the other members), else it moves to the story it now reports, or to a new one.
   */
  reassign(doc: ClusterDoc, storyId: number, now: number): Assignment {
    const stays = this.window.joins(this.window.fit(doc, storyId));
    this.window.remove(doc.entryId);
    const decision = stays ? null : this.window.decide(doc);
    if (!decision || decision.storyId === storyId || (decision.storyId === null && this.isAlone(doc, storyId))) {
      this.window.add(doc, storyId);
      refreshStory(this.store, storyId, now);
      return { storyId, created: false, leftStoryId: null };
    }
    const next = this.place(doc, decision.storyId, now);
    if (!deleteStoryIfEmpty(this.store, storyId)) refreshStory(this.store, storyId, now), resetStoryTime(this.store, storyId);
    return { storyId: next, created: decision.storyId === null, leftStoryId: storyId };
  }

  /** The normalised terms of a text, as clustering sees them (names folded, aliases applied): what search indexes. */
  terms(text: string): string[] {
    return normalizeForMatch(text, this.options.aliases);
  }

  private place(doc: ClusterDoc, storyId: number | null, now: number): number {
    const id = storyId ?? createStory(this.store, doc.entryId);
    assignStory(this.store, doc.entryId, id);
    if (storyId !== null) refreshStory(this.store, id, now);
    this.window.add(doc, id);
    return id;
  }

  // An entry alone in its story keeps the story (and its id) when it starts a new one anyway.
  private isAlone(doc: ClusterDoc, storyId: number): boolean {
    return storyEntryCount(this.store, storyId) <= 1;
  }
}
