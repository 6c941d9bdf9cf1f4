// Story clustering: recognise when several outlets report the same story. Pure, deterministic, no I/O.
export type { ClusterDoc, Decision } from './types.ts';
export type { ClustererOptions } from './options.ts';
export type { AliasTable } from './aliases.ts';
export { StoryClusterer } from './clusterer.ts';
export { loadAliases } from './aliases.ts';
export { normalizeForMatch } from './normalizer.ts';
export { entrySearchTerms } from './vector.ts';
export { StoryWindow, type ClusteringSource, type StoredDoc } from './window.ts';
