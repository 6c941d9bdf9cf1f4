// The clusterer over a moving window of stored entries: what it compares an entry with depends on the stored
// entries around the entry's own date, never on what a process happened to hold in memory.
import { StoryClusterer } from './clusterer.ts';
import { resolveOptions, type ClustererOptions } from './options.ts';
import type { ClusterDoc, Decision } from './types.ts';

/** A stored entry with the story it belongs to. */
export interface StoredDoc extends ClusterDoc {
  storyId: number;
}

/** Where the window reads stored entries from: the database, or a replay of it (recluster). */
export interface ClusteringSource {
  /** Entries that have a story, published in [from, to] (inclusive, ms). */
  between(from: number, to: number): Promise<StoredDoc[]>;
  /** The story of the first stored entry (lowest id) with this canonical URL, other than `exceptEntryId`. */
  storyOfUrl(url: string, exceptEntryId: number): Promise<number | null>;
}

/** One loaded entry: its time and id, kept sorted so the window's edges can be cut. */
interface Held {
  at: number;
  id: number;
}

/**
 * Decides stories against exactly the stored entries published within twice the story window of the entry's
 * date (a story spans at most one window, so every story the entry could join is whole in it, and the IDF is
 * taken over the same set whichever process decides). The same canonical URL reaches its stored story at any age.
 */
export class StoryWindow {
  private readonly clusterer: StoryClusterer;
  private readonly reach: number;
  private lo = 1;
  private hi = 0;
  // Loaded entries by (time, id); the clusterer holds the same ones.
  private held: Held[] = [];

  constructor(
    private readonly source: ClusteringSource,
    options: ClustererOptions = {},
  ) {
    this.clusterer = new StoryClusterer(options);
    this.reach = 2 * resolveOptions(options).windowHours * 3_600_000;
  }

  /** Decides which stored story (if any) doc joins. */
  async decide(doc: ClusterDoc): Promise<Decision> {
    if (doc.canonicalUrl) {
      const storyId = await this.source.storyOfUrl(doc.canonicalUrl, doc.entryId);
      if (storyId !== null) return { storyId, reason: 'url', score: 1 };
    }
    await this.focus(doc.publishedAt);
    return this.clusterer.decide(doc);
  }

  /** How well doc still fits `storyId` (itself left out); see StoryClusterer.fit. */
  async fit(doc: ClusterDoc, storyId: number): Promise<number> {
    if (doc.canonicalUrl && (await this.source.storyOfUrl(doc.canonicalUrl, doc.entryId)) === storyId) return 1;
    await this.focus(doc.publishedAt);
    return this.clusterer.fit(doc, storyId);
  }

  /** The search index's terms of doc, from the analysis its decision uses. */
  searchTerms(doc: ClusterDoc): string[] {
    return this.clusterer.searchTerms(doc);
  }

  /** Whether a fit is enough to stay. */
  joins(score: number): boolean {
    return this.clusterer.joins(score);
  }

  /** Records that a stored doc is now in `storyId` (held only while the window covers its date). */
  add(doc: ClusterDoc, storyId: number): void {
    this.remove(doc.entryId);
    if (doc.publishedAt < this.lo || doc.publishedAt > this.hi) return;
    this.clusterer.add(doc, storyId);
    const i = this.indexOf(doc.publishedAt, doc.entryId);
    this.held.splice(i, 0, { at: doc.publishedAt, id: doc.entryId });
  }

  /** Forgets an entry (about to be re-decided, or rolled back). */
  remove(entryId: number): void {
    if (!this.clusterer.remove(entryId)) return;
    const i = this.held.findIndex((h) => h.id === entryId);
    if (i >= 0) this.held.splice(i, 1);
  }

  /** Forgets everything; the next decision reloads its window from the source (after a rollback, or another process's writes). */
  reset(): void {
    this.clusterer.clear();
    this.held = [];
    [this.lo, this.hi] = [1, 0];
  }

  /** Entries held now (memory checks, tests). */
  get size(): number {
    return this.held.length;
  }

  // Moves the window to [t - reach, t + reach]: entries leaving it are forgotten, entries entering it are loaded.
  // Reads are awaited one at a time and the window's edges are set before each, so a caller must not run two
  // decisions of one window at once (the poll's transactions, and recluster, decide one entry after another).
  private async focus(t: number): Promise<void> {
    const lo = t - this.reach, hi = t + this.reach;
    if (lo === this.lo && hi === this.hi) return;
    if (this.lo > this.hi || hi < this.lo || lo > this.hi) {
      this.reset();
      [this.lo, this.hi] = [lo, hi];
      await this.load(lo, hi);
      return;
    }
    // Cut in place: the window moves a little for almost every decision, and copying the held list each time
    // was most of the garbage an ingest made.
    const first = this.indexOf(lo, -Infinity), end = this.indexOf(hi, Infinity);
    for (let i = end; i < this.held.length; i++) this.clusterer.remove(this.held[i].id);
    this.held.length = end;
    for (let i = 0; i < first; i++) this.clusterer.remove(this.held[i].id);
    if (first > 0) this.held.splice(0, first);
    const [oldLo, oldHi] = [this.lo, this.hi];
    [this.lo, this.hi] = [lo, hi];
    if (lo < oldLo) await this.load(lo, oldLo - 1);
    if (hi > oldHi) await this.load(oldHi + 1, hi);
  }

  private async load(from: number, to: number): Promise<void> {
    for (const d of await this.source.between(from, to)) {
      this.clusterer.add(d, d.storyId);
      this.held.splice(this.indexOf(d.publishedAt, d.entryId), 0, { at: d.publishedAt, id: d.entryId });
    }
  }

  // Position of (at, id) in the sorted held list (the first element not before it).
  private indexOf(at: number, id: number): number {
    let a = 0, b = this.held.length;
    while (a < b) {
      const m = (a + b) >> 1;
      const h = this.held[m];
      if (h.at < at || (h.at === at && h.id < id)) a = m + 1;
      else b = m;
    }
    return a;
  }
}
