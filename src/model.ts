// Domain values shared by the pipeline stages. Times are milliseconds since the epoch (UTC).

/** One item of one source, as normalize/ produces it: everything the store needs to keep it. */
export interface EntryInput {
  /** Identity within the source: guid/id, else canonical link, else a hash of title and summary. */
  key: string;
  guid: string | null;
  title: string;
  /** The link as the outlet published it, made absolute. */
  link: string | null;
  /** Lowercased scheme/host, no default port, no fragment, tracking params removed, params sorted. */
  canonicalUrl: string | null;
  /** Plain text of the description, at most ~500 characters. */
  summary: string;
  /** HTML as published (sanitised only on output). */
  content: string | null;
  author: string | null;
  categories: string[];
  /** Publication time; first-seen time when missing or more than an hour in the future. */
  publishedAt: number;
  updatedAt: number | null;
  /** The raw date string when it was replaced (unparseable or in the future). */
  originalDate: string | null;
  /** The item's picture, when the outlet gives one. */
  image: EntryImage | null;
  /** Hash of the fields a reader sees; a change means the item was edited. */
  contentHash: string;
}

/** An entry's picture: an absolute http(s) URL, with its size in pixels when the feed states it. */
export interface EntryImage {
  url: string;
  width: number | null;
  height: number | null;
}

/** Feed-level facts normalize/ keeps besides the entries. */
export interface FeedInfo {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  title: string | null;
  siteUrl: string | null;
  /** The feed's own <ttl> (or sy:updatePeriod) in seconds, when it gives one. */
  ttlSeconds: number | null;
}

export interface NormalizedFeed {
  info: FeedInfo;
  entries: EntryInput[];
}
