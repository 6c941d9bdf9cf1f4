// The JSON shapes of the public API (the Story, Entry and Source of the README's API section): Entry, Story, Source. Text is published as in feeds and pages
// (publishableText: entries stored before that rule existed are cleaned here), URLs by publishedUrl.
import { publishableText, publishableTitle } from '../normalize/text.ts';
import { publishedImage, storyImage, type PublishedImage } from '../publish/images.ts';
import { publishedUrl } from '../publish/links.ts';
import { rfc3339 } from '../publish/timestamps.ts';
import type { EntryRow, FetchRecord, SourceRow, StoryRow } from '../store/index.ts';

/** A time as the API writes it (rfc3339, as the feeds do), or null. */
function time(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : rfc3339(ms);
}

/** The proxied address of a picture URL while the media proxy is on (see routes/media.ts), else null. */
export type MediaLink = ((imageUrl: string) => string) | null;

/** An image object: the picture, its size, and its address on our media proxy (null while the proxy is off). */
function imageJson(image: PublishedImage | null, media: MediaLink) {
  return image === null ? null : { ...image, proxy_url: media ? media(image.url) : null };
}

/** An Entry as the API returns it. */
export function entryJson(e: EntryRow, media: MediaLink = null) {
  return {
    id: e.id,
    source_id: e.sourceId,
    story_id: e.storyId,
    title: publishableTitle(e.title),
    url: publishedUrl(e.link),
    summary: publishableText(e.summary),
    author: e.author === null ? null : publishableText(e.author),
    categories: (JSON.parse(e.categories) as string[]).map((c) => publishableText(c)),
    published_at: time(e.publishedAt),
    updated_at: time(e.updatedAt),
    image: imageJson(publishedImage(e), media),
  };
}

/** A Story with its entries as the API returns it. */
export function storyJson(s: StoryRow, entries: EntryRow[], media: MediaLink = null) {
  return {
    id: s.id,
    title: publishableTitle(s.title),
    url: publishedUrl(s.url),
    summary: publishableText(s.summary),
    published_at: time(s.publishedAt),
    updated_at: time(s.updatedAt),
    sources_count: s.sourcesCount,
    sources: [...new Set(entries.map((e) => e.sourceId))],
    image: imageJson(storyImage(s, entries), media),
    entries: entries.map((e) => entryJson(e, media)),
  };
}

/** A source's configuration and health as the API returns it. */
export function sourceJson(def: { id: string; url: string; title: string | null; tags: string[]; enabled: boolean }, row: (SourceRow & { entriesCount: number }) | undefined) {
  return {
    id: def.id,
    title: publishableTitle(def.title ?? row?.feedTitle ?? def.id),
    url: publishedUrl(def.url) ?? def.url,
    tags: def.tags,
    enabled: def.enabled,
    status: def.enabled ? (row?.status ?? 'new') : 'disabled',
    last_fetched_at: time(row?.lastFetchedAt),
    last_success_at: time(row?.lastSuccessAt),
    last_error: row?.lastError ? publishableText(row.lastError) : null,
    last_error_kind: row?.lastErrorKind ?? null,
    last_http_status: row?.lastHttpStatus ?? null,
    consecutive_failures: row?.consecutiveFailures ?? 0,
    next_fetch_at: time(row?.nextFetchAt),
    permanent_redirect: publishedUrl(row?.permanentRedirect),
    entries_count: row?.entriesCount ?? 0,
  };
}

/** A source's recent polls as the API returns them (a Source's `history`), oldest first. */
export function historyJson(history: readonly FetchRecord[]) {
  return history.map((f) => ({
    fetched_at: rfc3339(f.fetchedAt),
    outcome: f.outcome,
    http_status: f.httpStatus,
    error_kind: f.errorKind,
    new_entries: f.newEntries,
    updated_entries: f.updatedEntries,
    duration_ms: f.durationMs,
  }));
}
