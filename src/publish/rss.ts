// RSS 2.0 writer: one <item> per story, attribution by <source>, self and hub links through atom:link, the picture as Media RSS.
import { toFeedView } from './feed-view.ts';
import { mediaElements, MEDIA_RSS_NS } from './media.ts';
import type { ItemView } from './item-view.ts';
import { rfc822 } from './timestamps.ts';
import type { FeedMeta, PublishedStory } from './types.ts';
import { el, textEl, writeXml, type XmlElement } from './xml-writer.ts';

/** Renders stories as an RSS 2.0 document that the W3C validator accepts without warnings. */
export function renderRss(meta: FeedMeta, stories: PublishedStory[]): string {
  const feed = toFeedView(meta, stories, 'rss');
  const channel = el('channel', {}, [
    textEl('title', feed.title),
    textEl('link', feed.pageUrl),
    // <description> is required; the title is the most honest stand-in when none was configured.
    textEl('description', feed.description ?? feed.title),
    textEl('language', feed.language),
    // An empty feed has no change to report, and lastBuildDate is optional.
    feed.updatedAt === null ? null : textEl('lastBuildDate', rfc822(feed.updatedAt)),
    textEl('generator', feed.generator),
    el('atom:link', { href: feed.selfUrl, rel: 'self', type: 'application/rss+xml' }),
    feed.hub && el('atom:link', { href: feed.hub, rel: 'hub' }),
    ...feed.items.map(rssItem),
  ]);
  const ns = { version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom', 'xmlns:dc': 'http://purl.org/dc/elements/1.1/', 'xmlns:media': MEDIA_RSS_NS };
  return writeXml(el('rss', ns, [channel]));
}

function rssItem(item: ItemView): XmlElement {
  return el('item', {}, [
    textEl('title', item.title),
    textEl('link', item.link),
    item.contentHtml ? textEl('description', item.contentHtml) : null,
    textEl('guid', item.id, { isPermaLink: 'false' }),
    textEl('pubDate', rfc822(item.publishedAt)),
    ...item.tags.map((t) => textEl('category', t)),
    // RSS <author> must be an e-mail address; bylines go in dc:creator instead.
    item.author && textEl('dc:creator', item.author),
    item.outlet.feedUrl && textEl('source', item.outlet.name, { url: item.outlet.feedUrl }),
    // Not an <enclosure>: the validator wants its length, which storywire does not know.
    ...mediaElements(item.image),
  ]);
}
