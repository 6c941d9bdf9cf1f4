// The story's picture as Media RSS, which RSS 2.0 and Atom feeds both carry.
import type { PublishedImage } from './images.ts';
import { el, type XmlElement } from './xml-writer.ts';

/** The Media RSS namespace (https://www.rssboard.org/media-rss), bound to the `media` prefix. */
export const MEDIA_RSS_NS = 'http://search.yahoo.com/mrss/';

/**
 * The picture as `<media:content medium="image">` and `<media:thumbnail>` (each with the size when known), or
 * nothing. Readers differ in which of the two they take as an item's picture (feedparser gives both, many Atom
 * readers look only for the thumbnail, as YouTube writes it), so both are written.
 */
export function mediaElements(image: PublishedImage | null): XmlElement[] {
  if (!image) return [];
  const attrs = { url: image.url, width: size(image.width), height: size(image.height) };
  return [el('media:content', { url: attrs.url, medium: 'image', width: attrs.width, height: attrs.height }), el('media:thumbnail', attrs)];
}

function size(n: number | null): string | null {
  return n === null ? null : String(n);
}
