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

// How far beyond the window's edges entries are read ahead, as a share of its reach: the window moves a little
// with almost every entry decided, and reading each step apart would cost a query (a round trip on PostgreSQL) each.
const READ_AHEAD_SHARE = 1 / 12;

/**
 * Decides stories against exactly the stored entries published within twice the story window of the entry's
 * date (a story spans at most one window, so every story the entry could join is whole in it, and the IDF is
 * taken over the same set whichever process decides). The same canonical URL reaches its stored story at any age.
 * Entries read ahead of the window wait aside and join the clusterer only when the window reaches their date.
 */
export class StoryWindow {
  private readonly clusterer: StoryClusterer;
  private readonly reach: number;
  private readonly ahead: number;
  // The window [lo, hi]: its entries are in the clusterer, and in `held` by (time, id).
  private lo = 1;
  private hi = 0;
  private held: StoredDoc[] = [];
  // What was read from the source, [readLo, readHi] ⊇ [lo, hi]: the entries outside the window wait in `aside`, by (time, id).
  private readLo = 1;
  private readHi = 0;
  private aside: StoredDoc[] = [];

  constructor(
    private readonly source: ClusteringSource,
    options: ClustererOptions = {},
  ) {
    this.clusterer = new StoryClusterer(options);
    this.reach = 2 * resolveOptions(options).windowHours * 3_600_000;
    this.ahead = Math.round(this.reach * READ_AHEAD_SHARE);
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

  /** Records that a stored doc is now in `storyId` (held while the window covers its date, kept aside while read ahead). */
  add(doc: ClusterDoc, storyId: number): void {
    // Not held: it may wait aside, found by its date (an entry's publication time never changes once stored).
    if (!this.removeHeld(doc.entryId)) {
      const i = lowerBound(this.aside, doc.publishedAt, doc.entryId);
      if (this.aside[i]?.entryId === doc.entryId) this.aside.splice(i, 1);
    }
    const d: StoredDoc = { ...doc, storyId };
    if (doc.publishedAt >= this.lo && doc.publishedAt <= this.hi) {
      this.clusterer.add(d, storyId);
      insertSorted(this.held, d);
    } else if (doc.publishedAt >= this.readLo && doc.publishedAt <= this.readHi) insertSorted(this.aside, d);
  }

  /** Forgets an entry (about to be re-decided, or rolled back). */
  remove(entryId: number): void {
    if (this.removeHeld(entryId)) return;
    const i = this.aside.findIndex((h) => h.entryId === entryId);
    if (i >= 0) this.aside.splice(i, 1);
  }

  private removeHeld(entryId: number): boolean {
    if (!this.clusterer.remove(entryId)) return false;
    const i = this.held.findIndex((h) => h.entryId === entryId);
    if (i >= 0) this.held.splice(i, 1);
    return true;
  }

  /** Forgets everything; the next decision reloads its window from the source (after a rollback, or another process's writes). */
  reset(): void {
    this.clusterer.clear();
    this.held = [];
    this.aside = [];
    [this.lo, this.hi, this.readLo, this.readHi] = [1, 0, 1, 0];
  }

  /** Entries held now (memory checks, tests). */
  get size(): number {
    return this.held.length;
  }

  // Moves the window to [t - reach, t + reach]: entries leaving it are forgotten (or set aside while within what was
  // read), entries entering it are taken from aside or read. Reads are awaited one at a time and the window's edges
  // are set before each, so a caller must not run two decisions of one window at once (the poll's transactions, and
  // recluster, decide one entry after another).
  private async focus(t: number): Promise<void> {
    const lo = t - this.reach, hi = t + this.reach;
    if (lo === this.lo && hi === this.hi) return;
    if (this.readLo > this.readHi || hi < this.readLo || lo > this.readHi) {
      this.reset();
      [this.readLo, this.readHi] = [lo - this.ahead, hi + this.ahead];
      this.aside = await this.source.between(this.readLo, this.readHi);
    } else {
      if (lo < this.readLo) {
        const from = lo - this.ahead, to = this.readLo - 1;
        this.readLo = from;
        this.aside = mergeSorted(await this.source.between(from, to), this.aside);
      }
      if (hi > this.readHi) {
        const from = this.readHi + 1, to = hi + this.ahead;
        this.readHi = to;
        this.aside = mergeSorted(this.aside, await this.source.between(from, to));
      }
    }
    this.shift(lo, hi);
    // What was read far behind the window is let go, so memory follows the window.
    this.trimAside(lo - this.ahead, hi + this.ahead);
  }

  // Sets the window to [lo, hi] within what was read: held entries outside it go aside, aside entries inside it are held.
  private shift(lo: number, hi: number): void {
    [this.lo, this.hi] = [lo, hi];
    const first = lowerBound(this.held, lo, -Infinity), end = lowerBound(this.held, hi, Infinity);
    const leaving = first > 0 || end < this.held.length ? [...this.held.slice(0, first), ...this.held.slice(end)] : [];
    if (leaving.length) {
      for (const d of leaving) this.clusterer.remove(d.entryId);
      this.held.length = end;
      this.held.splice(0, first);
    }
    const a = lowerBound(this.aside, lo, -Infinity), b = lowerBound(this.aside, hi, Infinity);
    const entering = b > a ? this.aside.splice(a, b - a) : [];
    for (const d of entering) this.clusterer.add(d, d.storyId);
    // The window moves a little for almost every decision: one or two entries cross, inserted in place.
    this.aside = addSorted(this.aside, leaving);
    this.held = addSorted(this.held, entering);
  }

  private trimAside(from: number, to: number): void {
    if (this.readLo >= from && this.readHi <= to) return;
    [this.readLo, this.readHi] = [Math.max(this.readLo, from), Math.min(this.readHi, to)];
    this.aside = this.aside.slice(lowerBound(this.aside, this.readLo, -Infinity), lowerBound(this.aside, this.readHi, Infinity));
  }
}

function byTimeThenId(a: StoredDoc, b: StoredDoc): number {
  return a.publishedAt - b.publishedAt || a.entryId - b.entryId;
}

// Position of (at, id) in a list sorted by (time, id): the first element not before it.
function lowerBound(list: StoredDoc[], at: number, id: number): number {
  let a = 0, b = list.length;
  while (a < b) {
    const m = (a + b) >> 1;
    const h = list[m];
    if (h.publishedAt < at || (h.publishedAt === at && h.entryId < id)) a = m + 1;
    else b = m;
  }
  return a;
}

function insertSorted(list: StoredDoc[], d: StoredDoc): void {
  list.splice(lowerBound(list, d.publishedAt, d.entryId), 0, d);
}

// Adds sorted `items` to a sorted list: a few in place, many by merging.
function addSorted(list: StoredDoc[], items: StoredDoc[]): StoredDoc[] {
  if (items.length > 16) return mergeSorted(list, items);
  for (const d of items) insertSorted(list, d);
  return list;
}

// Merges two lists sorted by (time, id); returns one of them when the other is empty.
function mergeSorted(a: StoredDoc[], b: StoredDoc[]): StoredDoc[] {
  if (!b.length) return a;
  if (!a.length) return b;
  const out: StoredDoc[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(byTimeThenId(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
