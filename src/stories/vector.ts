// Term vectors of entries: which terms a headline and lede hold, and how much each one says.
import type { AliasTable } from './aliases.ts';
import { analyze, type Term } from './normalizer.ts';

/** Term → weight before IDF (field weight × name boost). Bigram terms hold a space. */
export type TermWeights = Map<string, number>;

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

/** Builds the weighted terms of an entry's headline and lede. */
export function buildFeatures(title: string, summary: string, aliases: AliasTable, w: FeatureWeights): TermWeights {
  const out: TermWeights = new Map();
  const entities = new Set<string>();
  const titleTerms = analyze(title, aliases);
  const summaryTerms = analyze(lede(summary, w.summaryChars), aliases);
  addField(out, titleTerms, w.title, w.bigram, entities);
  addField(out, summaryTerms, w.summary, w.bigram, entities);
  for (const t of entities) out.set(t, (out.get(t) ?? 0) * w.entityBoost);
  return out;
}

function addField(out: TermWeights, terms: Term[], weight: number, bigram: number, entities: Set<string>): void {
  const seen = new Set<string>();
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i].term;
    if (terms[i].entity) entities.add(t);
    // Presence, not frequency: a lede repeating a word is not more about it.
    if (!seen.has(t)) add(out, seen, t, weight);
    if (bigram > 0 && i > 0 && terms[i - 1].term !== t) add(out, seen, `${terms[i - 1].term} ${t}`, weight * bigram);
  }
}

function add(out: TermWeights, seen: Set<string>, term: string, weight: number): void {
  if (seen.has(term)) return;
  seen.add(term);
  out.set(term, (out.get(term) ?? 0) + weight);
}

function lede(summary: string, maxChars: number): string {
  if (summary.length <= maxChars) return summary;
  const cut = summary.lastIndexOf(' ', maxChars);
  return summary.slice(0, cut > maxChars / 2 ? cut : maxChars);
}

/** Dot product of two term vectors under the given IDF (iterates the smaller one). */
export function dot(a: TermWeights, b: TermWeights, idf: (term: string) => number): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [t, w] of small) {
    const v = large.get(t);
    if (v !== undefined) {
      const i = idf(t);
      sum += w * v * i * i;
    }
  }
  return sum;
}

/** Euclidean norm of a term vector under the given IDF. */
export function norm(a: TermWeights, idf: (term: string) => number): number {
  let sum = 0;
  for (const [t, w] of a) {
    const v = w * idf(t);
    sum += v * v;
  }
  return Math.sqrt(sum);
}
