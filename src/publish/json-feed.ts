// JSON Feed 1.1 writer (the `feed` package only writes 1.0).
import { toFeedView } from './feed-view.ts';
import type { ItemView } from './item-view.ts';
import { rfc3339 } from './timestamps.ts';
import type { FeedMeta, PublishedStory } from './types.ts';
import { publishableText } from '../normalize/text.ts';

/** Renders stories as a JSON Feed 1.1 document (valid against the 1.1 schema). */
export function renderJsonFeed(meta: FeedMeta, stories: PublishedStory[]): string {
  const feed = toFeedView(meta, stories, 'json');
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.pageUrl,
    feed_url: feed.selfUrl,
    ...(feed.description ? { description: feed.description } : {}),
    language: feed.language,
    ...(feed.hub ? { hubs: [{ type: 'WebSub', url: feed.hub }] } : {}),
    items: feed.items.map(jsonItem),
  };
  // The same characters as the XML formats: controls and lone surrogates never reach a reader.
  return `${JSON.stringify(doc, (_key, value: unknown) => (typeof value === 'string' ? publishableText(value) : value), 2)}\n`;
}

function jsonItem(item: ItemView) {
  const outlet = item.outlet;
  return {
    id: item.id,
    url: item.link,
    title: item.title,
    content_html: item.contentHtml,
    ...(item.summary ? { summary: item.summary } : {}),
    date_published: rfc3339(item.publishedAt),
    date_modified: rfc3339(item.updatedAt),
    authors: [{ name: outlet.name, ...(outlet.siteUrl ? { url: outlet.siteUrl } : {}) }],
    ...(item.tags.length ? { tags: item.tags } : {}),
    ...(item.image ? { image: item.image.url } : {}),
  };
}
