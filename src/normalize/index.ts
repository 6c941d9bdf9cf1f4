// The normalize stage: the parser's model in, our EntryInput values out. Pure and deterministic.
import type { NormalizedFeed } from '../model.ts';
import type { ParsedFeed } from '../parse/index.ts';
import { toEntry } from './entry.ts';
import { feedInfo } from './feed-info.ts';
import { resolveBase } from './links.ts';

export { canonicalizeUrl, urlIdentity } from './canonical-url.ts';
export { parseFeedDate } from './dates.ts';

/** Options of normalizeFeed: where the feed came from and the clock reading to use as "now". */
export interface NormalizeOptions {
  feedUrl: string;
  now: number;
}

/** Turns a parsed feed into FeedInfo and EntryInput values; items with no usable field are skipped. */
export function normalizeFeed(feed: ParsedFeed, opts: NormalizeOptions): NormalizedFeed {
  const feedBase = resolveBase(opts.feedUrl, [feed.base, feed.attributes?.['xml:base']]);
  const context = { format: feed.format, feedBase, now: opts.now };
  const entries = feed.items.flatMap((item) => toEntry(item, context) ?? []);
  return { info: feedInfo(feed, feedBase), entries };
}
