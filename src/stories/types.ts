// The values the clusterer takes and gives.

/** An entry as clustering sees it. */
export interface ClusterDoc {
  /** Unique. */
  entryId: number;
  sourceId: string;
  title: string;
  /** Plain text, may be '' or 50 KB. */
  summary: string;
  canonicalUrl: string | null;
  /** Milliseconds since the epoch. */
  publishedAt: number;
}

/** Which story an entry joins (null: start a new one), by which layer, and how sure. */
export interface Decision {
  storyId: number | null;
  reason: 'url' | 'headline' | 'similar' | 'new';
  score: number;
}
