// The picture storywire publishes for an entry and for a story (API answers now; feeds and pages use the same rules).
import type { EntryRow, StoryRow } from '../store/index.ts';
import { publishedUrl } from './links.ts';

/** A published picture: an absolute http(s) URL and its size when the feed stated it. */
export interface PublishedImage {
  url: string;
  width: number | null;
  height: number | null;
}

/** An entry's picture, or null (none kept, or a URL storywire would not publish). */
export function publishedImage(e: Pick<EntryRow, 'imageUrl' | 'imageWidth' | 'imageHeight'>): PublishedImage | null {
  const url = publishedUrl(e.imageUrl);
  return url === null ? null : { url, width: e.imageWidth, height: e.imageHeight };
}

/** A story's picture: its representative entry's, else that of the first member (by publication) that has one. */
export function storyImage(s: Pick<StoryRow, 'representativeEntryId'>, entries: readonly EntryRow[]): PublishedImage | null {
  const representative = entries.find((e) => e.id === s.representativeEntryId);
  const image = representative === undefined ? null : publishedImage(representative);
  return image ?? entries.map(publishedImage).find((found) => found !== null) ?? null;
}
