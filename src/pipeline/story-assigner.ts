// Assigns stored entries to stories in the poll's transaction, deciding against the stored entries around each one.
import type { Config } from '../config/index.ts';
import { normalizeForMatch, StoryWindow, type AliasTable, type ClusterDoc, type ClustererOptions } from '../stories/index.ts';
import type { Storage, StorageReads, StorageTx } from '../store/index.ts';

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
  // Where the window reads: the transaction of the decision under way (it sees the entries this poll stored so far).
  private reader: StorageReads;
  // The stories of the canonical URLs of a poll's new entries, read at once (see expect); null for a URL without one.
  private urls: { tx: StorageTx; stories: Map<string, number | null> } | null = null;

  constructor(
    store: Storage,
    private readonly options: ClustererOptions,
    private readonly observe: (seconds: number) => void = () => {},
  ) {
    this.reader = store;
    this.window = new StoryWindow(
      { between: (from, to) => this.reader.storiedEntriesBetween(from, to), storyOfUrl: (url, except) => this.storyOfUrl(url, except) },
      options,
    );
  }

  /** Forgets the window, so the next decision reads the database afresh (each pass, and after a rolled-back transaction). */
  resync(): void {
    this.window.reset();
    this.urls = null;
  }

  /**
   * Reads in one go the stories of the canonical URLs that the new entries about to be assigned in `tx` carry, so
   * deciding each asks none. Valid while only new entries are assigned: each joins the stories it finds after every
   * stored entry (its id is the highest), so only a URL without a story takes the first one a new entry starts; an
   * edited entry can move stored ones, so reassign forgets them.
   */
  async expect(tx: StorageTx, urls: readonly string[]): Promise<void> {
    const found = await tx.storiesOfCanonicalUrls(urls);
    this.urls = { tx, stories: new Map(urls.map((url) => [url, found.get(url) ?? null])) };
  }

  /**
   * Decides the story of a newly stored entry, creating one when it reports something new; reads and writes in `tx`.
   * One decision at a time: the poll's transactions are serialised, and each decides its entries in turn.
   */
  async assign(tx: StorageTx, doc: ClusterDoc, now: number): Promise<Assignment> {
    const started = performance.now();
    this.reader = tx;
    const decision = await this.window.decide(doc);
    const storyId = await this.place(tx, doc, decision.storyId, now);
    this.observe((performance.now() - started) / 1000);
    return { storyId, created: decision.storyId === null, leftStoryId: null };
  }

  /**
   * Re-checks an edited entry: it stays in its story while it still fits there (same URL or headline, or similar
   * enough to the other members), else it moves to the story it now reports, or to a new one.
   */
  async reassign(tx: StorageTx, doc: ClusterDoc, storyId: number, now: number): Promise<Assignment> {
    this.reader = tx;
    this.urls = null;
    const stays = this.window.joins(await this.window.fit(doc, storyId));
    this.window.remove(doc.entryId);
    const decision = stays ? null : await this.window.decide(doc);
    if (!decision || decision.storyId === storyId || (decision.storyId === null && (await this.isAlone(tx, storyId)))) {
      this.window.add(doc, storyId);
      await tx.refreshStory(storyId, now);
      return { storyId, created: false, leftStoryId: null };
    }
    const next = await this.place(tx, doc, decision.storyId, now);
    if (!(await tx.deleteStoryIfEmpty(storyId))) {
      await tx.refreshStory(storyId, now);
      await tx.resetStoryTime(storyId);
    }
    return { storyId: next, created: decision.storyId === null, leftStoryId: storyId };
  }

  /** What the search index holds for a stored entry (see entrySearchTerms), from the analysis deciding it uses. */
  searchTerms(doc: ClusterDoc): string[] {
    return this.window.searchTerms(doc);
  }

  /** The normalised terms of a text, as clustering sees them (names folded, aliases applied): what search queries with. */
  terms(text: string): string[] {
    return normalizeForMatch(text, this.options.aliases);
  }

  private async place(tx: StorageTx, doc: ClusterDoc, storyId: number | null, now: number): Promise<number> {
    const id = storyId ?? (await tx.startStory(doc.entryId));
    if (storyId !== null) {
      await tx.assignStory(doc.entryId, id);
      await tx.refreshStory(id, now);
    }
    this.window.add(doc, id);
    if (doc.canonicalUrl && this.urls?.stories.get(doc.canonicalUrl) === null) this.urls.stories.set(doc.canonicalUrl, id);
    return id;
  }

  private storyOfUrl(url: string, exceptEntryId: number): Promise<number | null> {
    const known = this.urls?.tx === this.reader ? this.urls.stories.get(url) : undefined;
    return known !== undefined ? Promise.resolve(known) : this.reader.storyOfCanonicalUrl(url, exceptEntryId);
  }

  // An entry alone in its story keeps the story (and its id) when it starts a new one anyway.
  private async isAlone(tx: StorageTx, storyId: number): Promise<boolean> {
    return (await tx.storyEntryCount(storyId)) <= 1;
  }
}
