// Document frequencies of the live corpus, maintained as entries are added and pruned.
import type { TermWeights } from './vector.ts';

/** Live document frequencies and the IDF they give. */
export class DocumentFrequencies {
  private readonly df = new Map<string, number>();
  /** Number of live documents. */
  size = 0;

  /** Counts a document's terms. */
  add(terms: TermWeights): void {
    this.size++;
    for (const t of terms.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  /** Forgets a document's terms. */
  remove(terms: TermWeights): void {
    this.size--;
    for (const t of terms.keys()) {
      const n = (this.df.get(t) ?? 0) - 1;
      if (n > 0) this.df.set(t, n);
      else this.df.delete(t);
    }
  }

  /** Documents holding a term. */
  count(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /** Smoothed IDF: rare terms weigh most, a term in every document still weighs a little. */
  readonly idf = (term: string): number => Math.log((this.size + 1) / ((this.df.get(term) ?? 0) + 1)) + 1;

  /** Distinct terms held (memory check). */
  get terms(): number {
    return this.df.size;
  }
}
