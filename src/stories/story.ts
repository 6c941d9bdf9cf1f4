// One story's live state: its members, time span and outlets.
import type { SparseVector } from './vector.ts';

/** An entry as the clusterer keeps it. */
export interface Member {
  entryId: number;
  sourceId: string;
  publishedAt: number;
  vector: SparseVector;
  url: string | null;
  headlineKey: string | null;
  /** An entry of a live blog (its headline says "live"). */
  live: boolean;
  /** Norm under the IDF of the corpus version `normVersion` (recomputed when the corpus changed). */
  norm: number;
  normVersion: number;
}

/** A story: its members, their time span and outlets. */
export class Story {
  readonly members: Member[] = [];
  minT = Infinity;
  maxT = -Infinity;
  readonly sources = new Map<string, number>();
  /** Norm of the sum of the members' unit vectors under the IDF of corpus version `centroidVersion`. */
  centroidNorm = 0;
  centroidVersion = -1;
  /** Scratch of candidate search: the search that last touched the story and the rare-term mass it found. */
  stamp = 0;
  mass = 0;

  constructor(readonly id: number) {}

  /** Whether an entry at `t` keeps the story within `windowMs` from first to last entry. */
  spans(t: number, windowMs: number): boolean {
    return this.members.length === 0 || (t >= this.maxT - windowMs && t <= this.minT + windowMs);
  }

  /** Adds a member. */
  push(member: Member): void {
    this.members.push(member);
    this.minT = Math.min(this.minT, member.publishedAt);
    this.maxT = Math.max(this.maxT, member.publishedAt);
    this.sources.set(member.sourceId, (this.sources.get(member.sourceId) ?? 0) + 1);
  }

  /** Removes a member (an edited entry being re-added, or leaving the window). */
  remove(entryId: number): Member | undefined {
    const i = this.members.findIndex((m) => m.entryId === entryId);
    if (i < 0) return undefined;
    const [m] = this.members.splice(i, 1);
    const left = (this.sources.get(m.sourceId) ?? 1) - 1;
    if (left > 0) this.sources.set(m.sourceId, left);
    else this.sources.delete(m.sourceId);
    this.minT = Math.min(...this.members.map((x) => x.publishedAt));
    this.maxT = Math.max(...this.members.map((x) => x.publishedAt));
    return m;
  }
}
