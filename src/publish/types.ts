// The values the publish stage renders: stories with their entries, and the feed's own metadata.
import type { PublishedImage } from './images.ts';

/** A format storywire publishes, by the extension it is served under (not the format of a polled feed: parse's FeedFormat). */
export type PublishedFormat = 'rss' | 'atom' | 'json';

/** Every published format, in the order pages and warm-up list them. */
export const PUBLISHED_FORMATS: readonly PublishedFormat[] = ['rss', 'atom', 'json'];

/** One outlet's item inside a story, with the outlet facts needed for attribution. */
export interface PublishedEntry { entryId: number; sourceId: string; sourceTitle: string; sourceFeedUrl: string; sourceSiteUrl: string | null; title: string; url: string | null; summary: string; contentHtml: string | null; author: string | null; publishedAt: number /* ms */; }

/** One story as a feed item: the representative entry's headline plus every other outlet's entry. */
export interface PublishedStory { id: number; title: string; url: string | null; summary: string; publishedAt: number; updatedAt: number; tags: string[] /* tags of the covering sources, deduplicated */; representative: PublishedEntry; others: PublishedEntry[] /* other outlets' entries, earliest first */; image: PublishedImage | null /* storyImage over every member entry */; }

/** The feed being rendered: its identity, where it is served and what it advertises. */
export interface FeedMeta { slug: string; title: string; description: string | null; baseUrl: string /* e.g. https://news.example or http://127.0.0.1:3000, no trailing slash */; language: string /* 'en' */; websubHub: string | null; generator: string /* 'storywire/0.1.0' */;
  /** Maps every picture URL a feed writes (a media proxy's address for it); identity when absent. */
  imageUrl?: (url: string) => string;
}
