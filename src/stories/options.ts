// Clusterer settings and their defaults (tuned on the dev set's even stories, checked on the odd ones).
import type { AliasTable } from './aliases.ts';
import type { FeatureWeights } from './vector.ts';

/** Settings of the story clusterer; every field has a documented default. */
export interface ClustererOptions {
  /** Longest span of one story and the candidate window, in hours of publication time. Default 72. */
  windowHours?: number;
  /** Similarity (0..1) an entry needs with a story to join it. Default 0.3. */
  minScore?: number;
  /** Cosine an entry needs with an entry of its own outlet in the story: only updates of one article merge. Default 0.8. */
  sameSourceMin?: number;
  /** Share of the story score taken from its centroid; the rest is the best member (guards against one weak link). Default 0.5. */
  centroidWeight?: number;
  /** Stories scored exactly per entry, the ones sharing the most rare terms. Default 30. */
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

export const DEFAULT_FEATURES: FeatureWeights = { title: 1, summary: 0.6, entityBoost: 1.5, bigram: 0.5, summaryChars: 600 };

/** Fills in the defaults. */
export function resolveOptions(opts: ClustererOptions): ResolvedOptions {
  return {
    windowHours: opts.windowHours ?? 72,
    minScore: opts.minScore ?? 0.3,
    sameSourceMin: opts.sameSourceMin ?? 0.8,
    centroidWeight: opts.centroidWeight ?? 0.5,
    maxCandidates: opts.maxCandidates ?? 30,
    commonShare: opts.commonShare ?? 0.1,
    features: { ...DEFAULT_FEATURES, ...opts.features },
  };
}
