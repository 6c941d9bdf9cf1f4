// Feed-level facts: format, title, site link and the publisher's suggested refresh interval.
import type { FeedInfo } from '../model.ts';
import type { ParsedFeed } from '../parse/index.ts';
import { pickLink } from './link-reader.ts';
import { firstNode, nodeText, readPlainText } from './node-text.ts';
import { publishableTitle } from './text.ts';

const PERIOD_SECONDS: Record<string, number> = {
  hourly: 3600, daily: 86_400, weekly: 604_800, monthly: 2_592_000, yearly: 31_536_000,
};

/** FeedInfo for a parsed feed; `feedBase` is its effective xml:base, resolved. */
export function feedInfo(feed: ParsedFeed, feedBase: string): FeedInfo {
  const textType = feed.format === 'rss' || feed.format === 'rdf' ? 'html' : 'text';
  const title = publishableTitle(readPlainText(firstNode(feed.titleNodes), textType));
  return {
    format: feed.format,
    title: title === '' ? null : title,
    siteUrl: pickLink(feed, feedBase),
    ttlSeconds: ttlSeconds(feed),
  };
}

// <ttl> is in minutes; sy:updatePeriod/updateFrequency means "updateFrequency times per period".
function ttlSeconds(feed: ParsedFeed): number | null {
  const ttl = Number.parseInt(nodeText(feed.ttl).trim(), 10);
  if (Number.isFinite(ttl) && ttl > 0) return ttl * 60;
  const period = PERIOD_SECONDS[nodeText(feed.updatePeriod).trim().toLowerCase()];
  if (period === undefined) return null;
  const frequency = Number.parseInt(nodeText(feed.updateFrequency).trim() || '1', 10);
  return Math.round(period / (Number.isFinite(frequency) && frequency > 0 ? frequency : 1));
}
