// The absolute URLs a feed writes: its own addresses, the web page, outlets' articles and story pages.
import { publishedUrl } from '../normalize/links.ts';
import type { FeedMeta, PublishedEntry, PublishedFormat, PublishedStory } from './types.ts';

// The one published form of a URL is decided where entries are normalised (pictures are stored in it).
export { publishedUrl };

/** The URL a feed is served at (the validator requires rel="self" to equal it). */
export function selfUrl(meta: FeedMeta, format: PublishedFormat): string {
  return `${origin(meta)}/feeds/${meta.slug}.${format}`;
}

/** The web page a feed stands for: the home page for `all`, else the feed's page. */
export function pageUrl(meta: FeedMeta): string {
  return meta.slug === 'all' ? `${origin(meta)}/` : `${origin(meta)}/feeds/${meta.slug}`;
}

/** Our page for one story, used when no outlet link is usable. */
export function storyPageUrl(meta: FeedMeta, storyId: number): string {
  return `${origin(meta)}/stories/${storyId}`;
}

/** An entry's article link, made absolute against its outlet's site (then feed) address. */
export function entryLink(entry: PublishedEntry): string | null {
  return publishedUrl(entry.url, publishedUrl(entry.sourceSiteUrl, null) ?? publishedUrl(entry.sourceFeedUrl, null));
}

/** The item link: the representative article, else the story's own url, else our story page. */
export function storyLink(meta: FeedMeta, story: PublishedStory): string {
  const rep = story.representative;
  return entryLink(rep) ?? entryLink({ ...rep, url: story.url }) ?? storyPageUrl(meta, story.id);
}

function origin(meta: FeedMeta): string {
  // The contract says no trailing slash; tolerate one rather than write "//feeds".
  return meta.baseUrl.replace(/\/+$/, '');
}
