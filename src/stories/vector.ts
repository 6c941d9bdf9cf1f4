// Term vectors of entries: which terms a headline and lede hold, and how much each one says.
import type { AliasTable } from './aliases.ts';
import type { Corpus } from './corpus.ts';
import { analyze, normalizeForMatch, type Term } from './normalizer.ts';

/** Term → weight before IDF (field weight × name boost). Bigram terms hold a space. */
export type TermWeights = Map<string, number>;

/** A sparse vector over corpus term ids, sorted by id, with weights before IDF. */
export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

/** How the fields of an entry weigh in its vector. */
export interface FeatureWeights {
  title: number;
  summary: number;
  /** Multiplier for names (capitalised inside a sentence, or an alias). */
  entityBoost: number;
  /** Weight of adjacent-term pairs relative to their field. */
  bigram: number;
  /** Only the lede says what the story is; a 50 KB body must not cost more or drown it. */
  summaryChars: number;
}

/** An entry's headline and summary analysed once: clustering weighs the headline and lede, search indexes all. */
export interface EntryAnalysis {
  weights: TermWeights;
  /** Share of the weight in character bigrams (Chinese, Japanese, Korean): their cosines run lower. */
  bigramShare: number;
  /** The match terms of the headline, then of the whole summary: what the search index holds for the entry. */
  searchTerms: string[];
}

/** Analyses an entry's headline and summary: its weighted terms for clustering and its terms for search. */
export function analyzeEntry(title: string, summary: string, aliases: AliasTable, w: FeatureWeights): EntryAnalysis {
  const titleTerms = analyze(title, aliases);
  const summaryTerms = analyze(summary, aliases);
  const lede = ledeOf(summary, w.summaryChars);
  // A summary within the lede's length (most feeds') is its own lede: analysed once for both.
  const ledeTerms = lede === summary ? summaryTerms : analyze(lede, aliases);
  const weights = buildFeatures(titleTerms, ledeTerms, w);
  return { weights, bigramShare: bigramShare(weights, [...titleTerms, ...ledeTerms]), searchTerms: [...titleTerms, ...summaryTerms].map((t) => t.term) };
}

/** The search index's terms of an entry (what analyzeEntry gives, without clustering's weights). */
export function entrySearchTerms(title: string, summary: string, aliases?: AliasTable): string[] {
  return [...normalizeForMatch(title, aliases), ...normalizeForMatch(summary, aliases)];
}

function bigramShare(weights: TermWeights, terms: Term[]): number {
  const bigrams = new Set(terms.filter((t) => t.bigram).map((t) => t.term));
  if (bigrams.size === 0) return 0;
  let all = 0, inBigrams = 0;
  for (const [t, w] of weights) {
    all += w;
    if (bigrams.has(t)) inBigrams += w;
  }
  return all > 0 ? inBigrams / all : 0;
}

/** Builds the weighted terms of an entry from its analysed headline and lede. */
function buildFeatures(titleTerms: Term[], ledeTerms: Term[], w: FeatureWeights): TermWeights {
  const out: TermWeights = new Map();
  const entities = new Set<string>();
  addField(out, titleTerms, w.title, w.bigram, entities);
  addField(out, ledeTerms, w.summary, w.bigram, entities);
  if (w.entityBoost !== 1) for (const t of entities) out.set(t, (out.get(t) ?? 0) * w.entityBoost);
  return out;
}

function addField(out: TermWeights, terms: Term[], weight: number, bigram: number, entities: Set<string>): void {
  const seen = new Set<string>();
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i].term;
    if (terms[i].entity) entities.add(t);
    // Presence, not frequency: a lede repeating a word is not more about it.
    add(out, seen, t, weight);
    if (bigram > 0 && i > 0 && terms[i - 1].term !== t) add(out, seen, `${terms[i - 1].term} ${t}`, weight * bigram);
  }
}

function add(out: TermWeights, seen: Set<string>, term: string, weight: number): void {
  if (seen.has(term)) return;
  seen.add(term);
  out.set(term, (out.get(term) ?? 0) + weight);
}

function ledeOf(summary: string, maxChars: number): string {
  if (summary.length <= maxChars) return summary;
  const cut = summary.lastIndexOf(' ', maxChars);
  return summary.slice(0, cut > maxChars / 2 ? cut : maxChars);
}

/** The vector of the terms the corpus knows (or all, interning new ones), and the norm share of unknown ones. */
export function toVector(weights: TermWeights, corpus: Corpus, intern: boolean): { vector: SparseVector; unseen: number } {
  // Pairs (id, weight) sorted by id, packed into one float array (ids are small integers, exact in a double).
  const pairs: number[] = [];
  let unseen = 0;
  for (const [t, w] of weights) {
    const id = intern ? corpus.intern(t) : corpus.id(t);
    if (id === undefined) unseen += w * w;
    else pairs.push(id, w);
  }
  const n = pairs.length / 2;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => pairs[2 * a] - pairs[2 * b]);
  const ids = new Int32Array(n);
  const ws = new Float64Array(n);
  for (let i = 0; i < n; i++) (ids[i] = pairs[2 * order[i]]), (ws[i] = pairs[2 * order[i] + 1]);
  return { vector: { ids, weights: ws }, unseen };
}

/** Dot product of two vectors under the corpus IDF (merge of sorted ids). */
export function dot(a: SparseVector, b: SparseVector, corpus: Corpus): number {
  let i = 0, j = 0, sum = 0;
  const ai = a.ids, bi = b.ids;
  while (i < ai.length && j < bi.length) {
    if (ai[i] < bi[j]) i++;
    else if (ai[i] > bi[j]) j++;
    else {
      const idf = corpus.idf(ai[i]);
      sum += a.weights[i++] * b.weights[j++] * idf * idf;
    }
  }
  return sum;
}

/** Euclidean norm of a vector under the corpus IDF, plus the squared raw weight of terms it does not know. */
export function norm(a: SparseVector, corpus: Corpus, unseen = 0): number {
  let sum = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const v = a.weights[i] * corpus.idf(a.ids[i]);
    sum += v * v;
  }
  const u = corpus.unseenIdf();
  return Math.sqrt(sum + unseen * u * u);
}
