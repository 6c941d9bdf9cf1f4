// How an entry is recognised across polls, and how an edit is noticed.
import { createHash } from 'node:crypto';
import { urlIdentity, withoutScheme } from './canonical-url.ts';

/** What identity and change detection look at. */
export interface IdentityFields {
  guid: string | null;
  canonicalUrl: string | null;
  title: string;
  link: string | null;
  summary: string;
  content: string | null;
  author: string | null;
  image: { url: string } | null;
}

/** The entry's key within its source: guid, else canonical link, else a hash of title and summary. */
export function entryKey(fields: IdentityFields): string {
  if (fields.guid !== null) return `guid:${guidIdentity(fields.guid)}`;
  if (fields.canonicalUrl !== null) return `url:${withoutScheme(fields.canonicalUrl)}`;
  return `hash:${sha1([fields.title.toLowerCase(), fields.summary.toLowerCase()])}`;
}

/** A hash of everything a reader sees; it changes exactly when the outlet edits the item. */
export function contentHash(fields: IdentityFields): string {
  const seen = [fields.title, fields.link, fields.summary, fields.content, fields.author];
  // Only when there is one: entries without an image keep the hash they were stored with before images were kept.
  return sha1(fields.image === null ? seen : [...seen, fields.image.url]);
}

// Outlets flip between http and https; a URL guid keeps its path, query and fragment (which may
// be what distinguishes items) but loses its scheme and host case.
function guidIdentity(guid: string): string {
  if (!/^https?:\/\//i.test(guid)) return guid;
  try {
    const url = new URL(guid);
    return `${url.host}${url.pathname}${url.search}${url.hash}`;
  } catch {
    return urlIdentity(guid) ?? withoutScheme(guid);
  }
}

function sha1(values: readonly (string | null)[]): string {
  return createHash('sha1').update(JSON.stringify(values)).digest('hex');
}
