// The in-memory inverted index: term → live stories holding it, so candidates never need a scan.
import type { TermWeights } from './vector.ts';

/** Term → ids of the live stories whose members hold the term. */
export class Postings {
  private readonly byTerm = new Map<string, Set<number>>();

  /** Lists a story under a member's terms. */
  add(storyId: number, terms: TermWeights): void {
    for (const t of terms.keys()) {
      let set = this.byTerm.get(t);
      if (!set) this.byTerm.set(t, (set = new Set()));
      set.add(storyId);
    }
  }

  /** Unlists a story from terms (none of its remaining members holds them). */
  remove(storyId: number, terms: Iterable<string>): void {
    for (const t of terms) {
      const set = this.byTerm.get(t);
      if (!set) continue;
      set.delete(storyId);
      if (set.size === 0) this.byTerm.delete(t);
    }
  }

  /** Stories holding a term. */
  get(term: string): ReadonlySet<number> | undefined {
    return this.byTerm.get(term);
  }
}
