// The live vocabulary: term ids, document and story frequencies, maintained as entries are added and pruned.

/** Term ↔ id and live document and story frequencies; ids of terms no live entry holds are recycled, so memory follows the window. */
export class Corpus {
  private readonly idOf = new Map<string, number>();
  private termOf: string[] = [];
  private df: Int32Array = new Int32Array(1024);
  private sf: Int32Array = new Int32Array(1024);
  /** Number of live stories. */
  stories = 0;
  private logS = 0;
  private readonly free: number[] = [];
  // log(k + 1) for document frequencies k: IDF is computed per term per comparison, so no Math.log on the hot path.
  private logs: Float64Array = new Float64Array(0);

  /** Number of live documents. */
  size = 0;

  /** The id of a known term. */
  id(term: string): number | undefined {
    return this.idOf.get(term);
  }

  /** The id of a term, assigning one when new. */
  intern(term: string): number {
    let id = this.idOf.get(term);
    if (id !== undefined) return id;
    id = this.free.pop() ?? this.termOf.length;
    if (id >= this.df.length) [this.df, this.sf] = [growInt32(this.df, id + 1), growInt32(this.sf, id + 1)];
    this.idOf.set(term, id);
    this.termOf[id] = term;
    this.df[id] = 0;
    this.sf[id] = 0;
    return id;
  }

  /** Counts a document holding these term ids. */
  addDoc(ids: Int32Array): void {
    for (const id of ids) this.df[id]++;
    this.setSize(this.size + 1);
  }

  /** Forgets a document; terms no document holds any more are released. */
  removeDoc(ids: Int32Array): void {
    for (const id of ids) {
      if (--this.df[id] > 0) continue;
      this.idOf.delete(this.termOf[id]);
      this.termOf[id] = '';
      this.free.push(id);
    }
    this.setSize(this.size - 1);
  }

  /** A story started or stopped holding a term. */
  storyTerm(id: number, delta: number): void {
    this.sf[id] += delta;
  }

  /** A story was opened or dropped. */
  storyCount(delta: number): void {
    this.stories += delta;
    this.logS = Math.log(this.stories + 1);
    this.ensureLogs(this.stories);
  }

  /** Live documents holding a term. */
  count(id: number): number {
    return this.df[id];
  }

  /**
   * Smoothed IDF over live stories, not documents: a word every outlet uses for one event ("Barrett", "853,000")
   * counts once, while a topic word spread over many events ("tariffs", "jobless") counts for each, so events outweigh topics.
   */
  idf(id: number): number {
    return this.logS - this.logs[this.sf[id]] + 1;
  }

  /** IDF of a term no live document holds. */
  unseenIdf(): number {
    return this.logS + 1;
  }

  /** Distinct live terms (memory check). */
  get terms(): number {
    return this.idOf.size;
  }

  private setSize(n: number): void {
    this.size = n;
    this.ensureLogs(n);
  }

  private ensureLogs(n: number): void {
    if (this.logs.length <= n + 1) {
      const next = new Float64Array(Math.max(1024, (n + 1) * 2));
      for (let k = 0; k < next.length; k++) next[k] = Math.log(k + 1);
      this.logs = next;
    }
  }
}

/** A copy of `a` at least `min` long (doubling), for arrays indexed by term id. */
export function growInt32(a: Int32Array, min: number): Int32Array {
  const next = new Int32Array(Math.max(min, a.length * 2));
  next.set(a);
  return next;
}
