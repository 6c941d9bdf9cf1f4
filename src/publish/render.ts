// The render entry point: one pure function per format, plus the media type each is served with.
import { renderAtom } from './atom.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';
import type { FeedMeta, PublishedFormat, PublishedStory } from './types.ts';

export { renderAtom, renderJsonFeed, renderRss };

/** The Content-Type of each format. */
export const MEDIA_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const satisfies Record<PublishedFormat, string>;

const RENDERERS: Record<PublishedFormat, (meta: FeedMeta, stories: PublishedStory[]) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** Renders a feed in the format named by its URL extension (stories in the caller's order, newest first). */
export function renderFeed(format: PublishedFormat, meta: FeedMeta, stories: PublishedStory[]): string {
  return RENDERERS[format](meta, stories);
}
