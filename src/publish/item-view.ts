// One story turned into the values every format writes, so RSS, Atom and JSON Feed say the same thing.
import { escapeMarkup, publishableTitle } from '../normalize/text.ts';
import type { PublishedImage } from './images.ts';
import { publishedUrl, entryLink, storyLink } from './links.ts';
import { sanitizeHtml, toPlainText } from './sanitizer.ts';
import { safeTime } from './timestamps.ts';
import type { FeedMeta, PublishedEntry, PublishedStory } from './types.ts';

/** The outlet an item is attributed to. */
export interface Outlet {
  name: string;
  feedUrl: string | null;
  siteUrl: string | null;
}

/** What a format needs to write one item. */
export interface ItemView {
  id: string;
  title: string;
  link: string;
  /** Plain-text summary (may be empty). */
  summary: string;
  /** Sanitised HTML: the summary plus "Also reported by"; never empty (at least who reported it). */
  contentHtml: string;
  publishedAt: number;
  updatedAt: number;
  tags: string[];
  outlet: Outlet;
  /** The representative article's byline, when it has one. */
  author: string | null;
  /** The story's picture (URL already through meta.imageUrl), or null. */
  image: PublishedImage | null;
}

/** Builds the item values of a story (pure; bad dates fall back, never throw). */
export function toItemView(meta: FeedMeta, story: PublishedStory): ItemView {
  const rep = story.representative;
  const link = storyLink(meta, story);
  const summary = toPlainText(story.summary || rep.summary);
  const publishedAt = safeTime(story.publishedAt, safeTime(rep.publishedAt, safeTime(story.updatedAt)));
  const title = publishableTitle(toPlainText(rep.title) || toPlainText(story.title)) || 'Untitled story';
  const image = itemImage(meta, story.image);
  return {
    id: `urn:storywire:story:${story.id}`,
    title,
    link,
    summary,
    contentHtml: itemHtml(summary, story.others, link, outletOf(rep).name, image && { ...image, alt: title }),
    publishedAt,
    // A change before the first sighting is a clock glitch; Atom readers expect updated >= published.
    updatedAt: Math.max(publishedAt, safeTime(story.updatedAt, publishedAt)),
    tags: [...new Set(story.tags.map(toPlainText).filter(Boolean))],
    outlet: outletOf(rep),
    author: rep.author ? toPlainText(rep.author) || null : null,
    image,
  };
}

/**
 * The picture as every format writes it: its URL mapped by meta.imageUrl (a media proxy) and checked again after
 * (whatever the mapping returns, only an absolute http(s) URL is written), sizes only when positive integers
 * (the validators reject anything else).
 */
function itemImage(meta: FeedMeta, image: PublishedImage | null): PublishedImage | null {
  if (!image) return null;
  const url = publishedUrl(meta.imageUrl ? meta.imageUrl(image.url) : image.url);
  return url === null ? null : { url, width: dimension(image.width), height: dimension(image.height) };
}

function dimension(n: number | null): number | null {
  return n !== null && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The outlet of an entry: its display name and absolute http(s) addresses. */
export function outletOf(entry: PublishedEntry): Outlet {
  const feedUrl = publishedUrl(entry.sourceFeedUrl, null);
  return {
    name: toPlainText(entry.sourceTitle) || toPlainText(entry.sourceId) || 'Unknown outlet',
    feedUrl,
    siteUrl: publishedUrl(entry.sourceSiteUrl, feedUrl),
  };
}

function itemHtml(summary: string, others: PublishedEntry[], link: string, outlet: string, image: (PublishedImage & { alt: string }) | null): string {
  // An item with no text of its own still says who reported it: readers (and validators) expect some content.
  const parts = summary ? [`<p>${escapeMarkup(summary)}</p>`] : [`<p>Reported by ${escapeMarkup(outlet)}.</p>`];
  // The picture leads the content too: many readers show only the HTML and ignore media elements.
  if (image) parts.unshift(`<p>${imgTag(image)}</p>`);
  if (others.length > 0) {
    parts.push('<p>Also reported by:</p>', `<ul>${others.map(otherItem).join('')}</ul>`);
  }
  // Everything above is escaped already; the sanitiser is the second line of defence and the single URL policy.
  return sanitizeHtml(parts.join('\n'), link);
}

function imgTag(image: PublishedImage & { alt: string }): string {
  const size = (name: string, n: number | null) => (n === null ? '' : ` ${name}="${n}"`);
  return `<img src="${escapeMarkup(image.url)}" alt="${escapeMarkup(image.alt)}"${size('width', image.width)}${size('height', image.height)} />`;
}

function otherItem(entry: PublishedEntry): string {
  const outlet = escapeMarkup(outletOf(entry).name);
  const title = escapeMarkup(publishableTitle(toPlainText(entry.title)));
  const url = entryLink(entry);
  const headline = url ? `<a href="${escapeMarkup(url)}">${title || outlet}</a>` : title;
  return `<li>${outlet}${headline ? `: ${headline}` : ''}</li>`;
}
