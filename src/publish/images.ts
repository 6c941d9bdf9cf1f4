// The picture storywire publishes for an entry and for a story (API answers now; feeds and pages use the same rules),
// and its address on the media proxy.
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

// The media proxy's addresses: /media/<token>, where the token is the picture's URL in base64url (no padding). The
// token is not a secret: the server fetches a URL only when it is some stored entry's picture (routes/media.ts).

/** Longest picture URL the proxy takes (a longer token is refused before anything is looked up). */
export const MAX_MEDIA_URL_LENGTH = 8192;

/** The token of a picture URL: its UTF-8 bytes in base64url, without padding. */
export function mediaToken(imageUrl: string): string {
  return Buffer.from(imageUrl, 'utf8').toString('base64url');
}

/**
 * The absolute proxied address of a picture: `<baseUrl>/media/<token>`. `imageUrl` is the picture as published
 * (`publishedImage(...).url`), which the server then looks up among stored entries' pictures.
 */
export function mediaProxyUrl(baseUrl: string, imageUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/media/${mediaToken(imageUrl)}`;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The http(s) URL a token stands for, or why it is not a token of ours. */
export function parseMediaToken(token: string): { url: string } | { error: string } {
  if (token.length > Math.ceil((MAX_MEDIA_URL_LENGTH * 4) / 3)) return { error: `the token is longer than a URL of ${MAX_MEDIA_URL_LENGTH} characters` };
  if (!TOKEN.test(token)) return { error: 'the token is not base64url (A-Z, a-z, 0-9, - and _, no padding)' };
  const bytes = Buffer.from(token, 'base64url');
  // Node decodes leniently (stray bits, a dangling character): only the one spelling mediaToken writes is accepted.
  if (bytes.toString('base64url') !== token) return { error: 'the token is not base64url without padding' };
  let url: string;
  try {
    url = utf8.decode(bytes);
  } catch {
    return { error: 'the token is not the UTF-8 text of a URL' };
  }
  // A published URL never holds one (they are percent-encoded), and PostgreSQL's text drops NUL before the lookup:
  // "a\0.jpg" would find the entry of "a.jpg", then fetch "a%00.jpg", a URL no entry has.
  if (/[\x00-\x1f\x7f]/.test(url)) return { error: 'the token holds a control character, which no published URL does' };
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return { error: 'the token is not an absolute http(s) URL' };
  return { url };
}
