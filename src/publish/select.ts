// Curate: which stories a feed holds. Rules that SQL can answer go to the store; term rules run here.
import type { Config, FeedRules } from '../config/index.ts';
import { scanPage, type EntryRow, type Keyset, type StoryFilter, type StorageReads, type StoryRow, type TopFilter, type TopKeyset } from '../store/index.ts';

/** Read access to stories, injected so publish/ never holds the storage. */
export interface StoryReader {
  stories(filter: StoryFilter): Promise<StoryRow[]>;
  topStories(filter: TopFilter): Promise<StoryRow[]>;
  entriesOf(storyIds: number[]): Promise<EntryRow[]>;
}

/** A story with its entries, oldest first. */
export interface StoryWithEntries {
  story: StoryRow;
  entries: EntryRow[];
}

/** The built-in feed of every story. */
export function allFeed(): FeedRules {
  return { slug: 'all', title: 'All stories', description: 'Every story storywire has seen, newest first.', include: [], exclude: [], sources: [], tags: [], minSources: 1, maxAgeMs: null, limit: 50, sort: 'newest' };
}

/** The rules of a feed by slug ('all' always exists), or null. */
export function feedRules(config: Config, slug: string): FeedRules | null {
  return slug === 'all' ? allFeed() : (config.feeds.find((f) => f.slug === slug) ?? null);
}

/** Source ids having any of the tags. */
export function sourcesWithTags(config: Config, tags: readonly string[]): string[] {
  return config.sources.filter((s) => s.tags.some((t) => tags.includes(t))).map((s) => s.id);
}

/** The store filter equivalent to a feed's source, tag, coverage and age rules. */
export function feedFilter(config: Config, rules: FeedRules, now: number): Omit<StoryFilter, 'limit'> {
  const coveredBy = [...(rules.sources.length ? [[...rules.sources]] : []), ...(rules.tags.length ? [sourcesWithTags(config, rules.tags)] : [])];
  return {
    coveredBy,
    minSources: rules.minSources > 1 ? rules.minSources : undefined,
    since: rules.maxAgeMs !== null ? now - rules.maxAgeMs : undefined,
  };
}

/** A story reader over the storage: what the publisher, the API and the pages read stories through. */
export function storyReader(store: Pick<StorageReads, 'listStories' | 'topStories' | 'entriesOfStories'>): StoryReader {
  return { stories: (f) => store.listStories(f), topStories: (f) => store.topStories(f), entriesOf: (ids) => store.entriesOfStories(ids) };
}

/** The text a feed's include/exclude terms are matched against: every entry's title and summary. */
export function storyText(entries: readonly EntryRow[]): string {
  return entries.map((e) => `${e.title}\n${e.summary}`).join('\n');
}

/**
 * Stories newest first that pass `filter` (SQL) and `matches` (terms), at most `limit`, after `after`.
 * `next` is where the following page starts, or null when nothing more can follow.
 */
export function selectStories(
  reader: StoryReader,
  filter: Omit<StoryFilter, 'limit' | 'after'>,
  matches: ((text: string) => boolean) | null,
  limit: number,
  after: Keyset | null = null,
): Promise<{ items: StoryWithEntries[]; next: Keyset | null }> {
  const read = (cursor: Keyset | null, size: number) => reader.stories({ ...filter, after: cursor, limit: size });
  return selectPage(reader, read, (s) => ({ publishedAt: s.publishedAt, id: s.id }), matches, limit, after);
}

/** As selectStories, top first (by top key, see TOP_DOUBLING_MS), after `after`. */
export function selectTopStories(
  reader: StoryReader,
  filter: Omit<StoryFilter, 'limit' | 'after'>,
  matches: ((text: string) => boolean) | null,
  limit: number,
  after: TopKeyset | null = null,
): Promise<{ items: StoryWithEntries[]; next: TopKeyset | null }> {
  const read = (cursor: TopKeyset | null, size: number) => reader.topStories({ ...filter, after: cursor, limit: size });
  return selectPage(reader, read, (s) => ({ topAt: s.topAt, id: s.id }), matches, limit, after);
}

// A page of a listing read by `read` from a keyset position; `position` is the position of a story in that order.
function selectPage<P>(
  reader: StoryReader,
  read: (after: P | null, size: number) => Promise<StoryRow[]>,
  position: (story: StoryRow) => P,
  matches: ((text: string) => boolean) | null,
  limit: number,
  after: P | null,
): Promise<{ items: StoryWithEntries[]; next: P | null }> {
  return scanPage<StoryWithEntries, P | null>(
    after,
    limit,
    async (cursor, size) => withEntries(reader, await read(cursor, size)),
    (_, item) => position(item.story),
    matches && ((item) => matches(storyText(item.entries))),
  );
}

/** Each story with its entries, oldest first (one read for the whole batch). */
export async function withEntries(reader: StoryReader, stories: StoryRow[]): Promise<StoryWithEntries[]> {
  const entries = groupByStory(await reader.entriesOf(stories.map((s) => s.id)));
  return stories.map((story) => ({ story, entries: entries.get(story.id) ?? [] }));
}

/** Entries grouped by their story id, keeping their order. */
export function groupByStory(entries: EntryRow[]): Map<number, EntryRow[]> {
  const by = new Map<number, EntryRow[]>();
  for (const e of entries) {
    const list = by.get(e.storyId!) ?? [];
    list.push(e);
    by.set(e.storyId!, list);
  }
  return by;
}
