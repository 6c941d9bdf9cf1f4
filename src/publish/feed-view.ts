// The feed-level values every format writes, derived from the metadata and the items (never from a clock).
import { toItemView, type ItemView } from './item-view.ts';
import { publishedUrl, pageUrl, selfUrl } from './links.ts';
import { publishableTitle } from '../normalize/text.ts';
import { toPlainText } from './sanitizer.ts';
import type { FeedMeta, PublishedFormat, PublishedStory } from './types.ts';

/** What a format needs to write one feed. */
export interface FeedView {
  id: string;
  title: string;
  /** The operator's description, or null when none was configured. */
  description: string | null;
  selfUrl: string;
  pageUrl: string;
  language: string;
  hub: string | null;
  generator: string;
  /** The newest item change, or null for an empty feed. */
  updatedAt: number | null;
  items: ItemView[];
}

/** Builds the feed values for one format; items keep the caller's order. */
export function toFeedView(meta: FeedMeta, stories: PublishedStory[], format: PublishedFormat): FeedView {
  const items = stories.map((s) => toItemView(meta, s));
  return {
    // Independent of the host it is served from, so a feed keeps its identity behind any publicUrl.
    id: `urn:storywire:feed:${meta.slug}`,
    title: publishableTitle(toPlainText(meta.title)) || meta.slug,
    description: meta.description ? toPlainText(meta.description) || null : null,
    selfUrl: selfUrl(meta, format),
    pageUrl: pageUrl(meta),
    language: /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(meta.language) ? meta.language : 'en',
    hub: publishedUrl(meta.websubHub, null),
    generator: toPlainText(meta.generator) || 'storywire',
    updatedAt: items.length ? Math.max(...items.map((i) => i.updatedAt)) : null,
    items,
  };
}
