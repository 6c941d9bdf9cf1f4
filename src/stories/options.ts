// Clusterer settings and their defaults (tuned on the labelled dev set as a whole, checked on its halves and other time seeds).
import type { AliasTable } from './aliases.ts';
import type { FeatureWeights } from './vector.ts';

/** Settings of the story clusterer; every field has a documented default. */
export interface ClustererOptions {
  /** Longest span of one story and the candidate window, in hours of publication time. Default 72. */
  windowHours?: number;
  /** Similarity (0..1) an entry needs with a story to join it. Default 0.15. */
  minScore?: number;
  /** Time constant of the closeness factor exp(-|Δt|/decay) applied to each member's similarity (0: off). Default 24. */
  decayHours?: number;
  /**
   * Cosine at which an entry of the same outlet reads as an update of one article. Default 0.65. Below it, an outlet's
   * second piece joins a story only when another outlet's member is vouchMin alike (or both are live-blog entries).
   */
  sameSourceMin?: number;
  /** Cosine an entry needs with another outlet's member for a story that holds a different piece of its own outlet. Default 0.2. */
  vouchMin?: number;
  /** Members from which a story takes no second article of an outlet it holds, and entries only on its centroid (bounds chaining). Default 7. */
  chainLimit?: number;
  /** Share of the story score taken from its centroid; the rest is the best member (guards against one weak link). Default 0.5. */
  centroidWeight?: number;
  /** Share of the runner-up story's similarity subtracted from the best one's before the threshold (ambiguity costs). Default 0.5. */
  margin?: number;
  /**
   * Cosine that character-bigram text (Chinese, Japanese, Korean) reaches for the overlap a spaced script reaches 1
   * with: scores of such entries are divided by it, in proportion to their bigram share. Default 0.8.
   */
  bigramScale?: number;
  /** Stories scored exactly per entry, the ones sharing the most rare terms. Default 10. */
  maxCandidates?: number;
  /** Terms in more than this share of live entries ("Trump", "Ukraine") do not propose candidates. Default 0.1. */
  commonShare?: number;
  /** Field weights of the term vectors. */
  features?: Partial<FeatureWeights>;
  /** Name variants; default: the built-in table. */
  aliases?: AliasTable;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<ClustererOptions, 'features' | 'aliases'>> & { features: FeatureWeights };

/** The story window when none is configured (feeds.json `settings.storyWindow` defaults to it too). */
export const DEFAULT_WINDOW_HOURS = 72;

export const DEFAULT_FEATURES: FeatureWeights = { title: 1, summary: 0.8, entityBoost: 1, bigram: 0, summaryChars: 600 };

/** Fills in the defaults. */
export function resolveOptions(opts: ClustererOptions): ResolvedOptions {
  return {
    windowHours: opts.windowHours ?? DEFAULT_WINDOW_HOURS,
    minScore: opts.minScore ?? 0.15,
    decayHours: opts.decayHours ?? 24,
    sameSourceMin: opts.sameSourceMin ?? 0.65,
    vouchMin: opts.vouchMin ?? 0.2,
    chainLimit: opts.chainLimit ?? 7,
    centroidWeight: opts.centroidWeight ?? 0.5,
    margin: opts.margin ?? 0.5,
    maxCandidates: opts.maxCandidates ?? 10,
    bigramScale: inRange(opts.bigramScale ?? 0.8, 'bigramScale', 0, 1),
    commonShare: opts.commonShare ?? 0.1,
    features: { ...DEFAULT_FEATURES, ...opts.features },
  };
}

// A scale of 0 would divide by zero and one above 1 would shrink scores: only (0, 1] means anything.
function inRange(x: number, name: string, above: number, atMost: number): number {
  if (!(x > above && x <= atMost)) throw new RangeError(`stories: ${name} must be above ${above} and at most ${atMost}, got ${x}`);
  return x;
}
