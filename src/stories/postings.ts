// The in-memory inverted index: term id → live stories holding it, so candidates never need a scan.
import type { Corpus } from './corpus.ts';
import type { Story } from './story.ts';

/** Term id → the live stories whose members hold the term. */
export class Postings {
  private readonly byTerm: (Set<Story> | undefined)[] = [];

  constructor(private readonly corpus: Corpus) {}

  /** Lists a story under term ids. */
  add(story: Story, ids: Int32Array): void {
    for (const id of ids) {
      const set = (this.byTerm[id] ??= new Set());
      if (set.has(story)) continue;
      set.add(story);
      this.corpus.storyTerm(id, 1);
    }
  }

  /** Unlists a story from term ids (none of its remaining members holds them). */
  remove(story: Story, ids: Iterable<number>): void {
    for (const id of ids) {
      const set = this.byTerm[id];
      if (!set?.delete(story)) continue;
      this.corpus.storyTerm(id, -1);
      if (set.size === 0) this.byTerm[id] = undefined;
    }
  }

  /** Stories holding a term. */
  get(id: number): ReadonlySet<Story> | undefined {
    return this.byTerm[id];
  }
}
