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
}

/** The entry's key within its source: guid, else canonical link, else a hash of title and summary. */
export function entryKey(fields: IdentityFields): string {
  if (fields.guid !== null) return `guid:${guidIdentity(fields.guid)}`;
  if (fields.canonicalUrl !== null) return `url:${withoutScheme(fields.canonicalUrl)}`;
  return `hash:${sha1([fields.title.toLowerCase(), fields.summary.toLowerCase()])}`;
}

/** A hash of everything a reader sees; it changes exactly when the outlet edits the item. */
export function contentHash(fields: IdentityFields): string {
  // Not the image: some outlets give a new picture URL (a resized copy, a cache-busting query) on every request, which
  // would make each poll an edit; the picture is stored with the entry and with each edit of its text.
  return sha1([fields.title, fields.link, fields.summary, fields.content, fields.author]);
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
