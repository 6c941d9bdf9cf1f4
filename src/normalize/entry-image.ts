// The one picture kept per entry, from the places outlets put it, in order of how deliberate the choice was.
import { decodeHTML } from 'entities';
import type { EntryImage } from '../model.ts';
import type { ParsedItem } from '../parse/index.ts';
import { publishedUrl, resolveLink } from './links.ts';
import { nodeAttr, nodeText } from './node-text.ts';

/** Wider than this is a print-size original, not a picture to show beside a headline. */
const MAX_REASONABLE_WIDTH = 2000;
/** Images this small in either dimension are tracking pixels or spacers. */
const PIXEL_MAX_SIZE = 2;
const IMAGE_EXTENSION = /\.(jpe?g|png|gif|webp|avif)$/i;

/** Where the item's HTML may hold an <img>: its content and its description, as HTML. */
export interface ImageContext {
  /** xml:base of the item, already resolved against the feed URL. */
  base: string;
  /** The item's web page: relative <img> sources in its HTML are relative to it. */
  link: string | null;
  /** The item's HTML, in order: asked for only when no media element gave a picture (the last resort). */
  html: () => readonly (string | null)[];
}

/**
 * The item's image: media:content of an image type (largest reasonable), media:thumbnail (both also inside
 * media:group; thumbnails also inside media:content), an image enclosure, itunes:image, JSON Feed image then banner_image, and last the first <img> of
 * the HTML that is not a tracking pixel. Only http(s) URLs count.
 */
export function entryImage(item: ParsedItem, context: ImageContext): EntryImage | null {
  const groups = (item.mediaGroupNodes ?? []).filter(isElement);
  const media = [...(item.mediaContentNodes ?? []), ...groups.flatMap((group) => childList(group, 'media:content'))];
  // Media RSS lets a thumbnail sit inside media:content too (BBC's Atom feeds give a media:content with no url of its own,
  // holding one media:thumbnail per size).
  const thumbnails = [...(item.mediaThumbnailNodes ?? []), ...[...groups, ...media].filter(isElement).flatMap((node) => childList(node, 'media:thumbnail'))];
  const enclosures = [
    ...(item.enclosureNodes ?? []).map((node) => ({ node, href: nodeAttr(node, 'url') })),
    // Atom's enclosure is a link.
    ...(item.linkNodes ?? []).filter((node) => nodeAttr(node, 'rel')?.trim().toLowerCase() === 'enclosure')
      .map((node) => ({ node, href: nodeAttr(node, 'href') })),
  ];
  return (
    largest(media.filter(isImageMedia).map((node) => candidate(nodeAttr(node, 'url'), node, context.base))) ??
    largest(thumbnails.map((node) => candidate(nodeAttr(node, 'url'), node, context.base))) ??
    firstOf(enclosures.filter(({ node }) => /^image\//i.test(nodeAttr(node, 'type')?.trim() ?? ''))
      .map(({ href }) => candidate(href, undefined, context.base))) ??
    firstOf((item.itunesImageNodes ?? []).map((node) => candidate(nodeAttr(node, 'href') ?? nodeText(node), undefined, context.base))) ??
    firstOf((item.jsonImageNodes ?? []).map((url) => candidate(nodeText(url), undefined, context.base))) ??
    firstOf(context.html().flatMap((html) => imgCandidates(html ?? '', context.link ?? context.base)))
  );
}

// type="image/*" or medium="image"; with neither, an image file name.
function isImageMedia(node: unknown): boolean {
  const type = nodeAttr(node, 'type')?.trim().toLowerCase() ?? '';
  const medium = nodeAttr(node, 'medium')?.trim().toLowerCase() ?? '';
  if (type !== '' || medium !== '') return type.startsWith('image/') || medium === 'image';
  const url = nodeAttr(node, 'url') ?? '';
  return IMAGE_EXTENSION.test(url.replace(/[?#].*$/, '').trim());
}

function candidate(href: string | undefined, sized: unknown, base: string, size = sizeOf(sized)): EntryImage | null {
  if (href === undefined) return null;
  // Stored in the one form storywire publishes URLs in, so the media proxy finds the picture by the URL it published.
  const url = publishedUrl(resolveLink(href, base));
  if (url === null || isPixel(size)) return null;
  return { url, ...size };
}

// The widest that is still reasonable, else the widest known, else the first given.
function largest(images: readonly (EntryImage | null)[]): EntryImage | null {
  const known = images.filter((image): image is EntryImage & { width: number } => image?.width != null);
  const reasonable = known.filter((image) => image.width <= MAX_REASONABLE_WIDTH);
  const pool = reasonable.length > 0 ? reasonable : known;
  if (pool.length === 0) return firstOf(images);
  return pool.reduce((best, image) => (image.width > best.width ? image : best));
}

function firstOf(images: readonly (EntryImage | null)[]): EntryImage | null {
  return images.find((image) => image !== null) ?? null;
}

const IMG_START = /<img\b/gi;
// A name starts only after a character that cannot be part of one: otherwise a long run of name characters with no
// "=" after it is tried again from each of its characters, in time quadratic in its length.
const ATTRIBUTE = /(?<![\w:-])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

// The <img ...> tags of an HTML string, in document order. Each ends at the next ">"; with none left, no later "<img"
// can end either, so the search stops (a regular expression would scan to the end again from every "<img").
function imgTags(html: string): string[] {
  const tags: string[] = [];
  IMG_START.lastIndex = 0;
  for (let start = IMG_START.exec(html); start !== null; start = IMG_START.exec(html)) {
    const end = html.indexOf('>', start.index);
    if (end === -1) break;
    tags.push(html.slice(start.index, end + 1));
    IMG_START.lastIndex = end + 1;
  }
  return tags;
}

// Every <img src> of an HTML string, in document order.
function imgCandidates(html: string, base: string): (EntryImage | null)[] {
  return imgTags(html).map((tag) => {
    const attributes = new Map<string, string>();
    for (const [, name, ...values] of tag.slice(4).matchAll(ATTRIBUTE)) {
      const key = name.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, decodeHTML(values.find((value) => value !== undefined) ?? ''));
    }
    const size = { width: dimension(attributes.get('width')), height: dimension(attributes.get('height')) };
    return candidate(attributes.get('src'), undefined, base, size);
  });
}

function sizeOf(node: unknown): { width: number | null; height: number | null } {
  return { width: dimension(nodeAttr(node, 'width')), height: dimension(nodeAttr(node, 'height')) };
}

// Whole pixels ("640", or "640px" in HTML); anything else (percentages, "auto") is unknown.
function dimension(value: string | undefined): number | null {
  const match = /^\s*(\d{1,6})(?:px)?\s*$/i.exec(value ?? '');
  return match ? Number(match[1]) : null;
}

function isPixel(size: { width: number | null; height: number | null }): boolean {
  return (size.width !== null && size.width <= PIXEL_MAX_SIZE) || (size.height !== null && size.height <= PIXEL_MAX_SIZE);
}

function childList(node: Record<string, unknown>, name: string): unknown[] {
  const children = node[name];
  return Array.isArray(children) ? children : [];
}

function isElement(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
