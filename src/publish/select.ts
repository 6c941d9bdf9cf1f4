// Curate: which stories a feed holds. Rules that SQL can answer go to the store; term rules run here.
import type { Config, FeedRules } from '../config/index.ts';
import type { EntryRow, Keyset, StoryFilter, StoryRow } from '../store/index.ts';

/** Read access to stories, injected so publish/ never holds the database handle. */
export interface StoryReader {
  stories(filter: StoryFilter): StoryRow[];
  entriesOf(storyIds: number[]): EntryRow[];
}

/** A story with its entries, oldest first. */
export interface StoryWithEntries {
  story: StoryRow;
  entries: EntryRow[];
}

/** The built-in feed of every story. */
export function allFeed(): FeedRules {
  return { slug: 'all', title: 'All stories', description: 'Every story storywire has seen, newest first.', include: [], exclude: [], sources: [], tags: [], minSources: 1, maxAgeMs: null, limit: 50 };
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

/** The text a feed's include/exclude terms are matched against: every entry's title and summary. */
export function storyText(entries: readonly EntryRow[]): string {
  return entries.map((e) => `${e.title}\n${e.summary}`).join('\n');
}

const BATCH = 200;
// A feed whose terms match almost nothing must not read the whole history on every render.
const MAX_SCANNED = 5000;

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
): { items: StoryWithEntries[]; next: Keyset | null } {
  const items: StoryWithEntries[] = [];
  let cursor = after;
  let scanned = 0;
  while (scanned < MAX_SCANNED) {
    const batchSize = matches ? BATCH : limit + 1 - items.length;
    const batch = reader.stories({ ...filter, after: cursor, limit: batchSize });
    scanned += batch.length;
    const entries = groupByStory(reader.entriesOf(batch.map((s) => s.id)));
    for (const story of batch) {
      const own = entries.get(story.id) ?? [];
      if (matches && !matches(storyText(own))) continue;
      if (items.length === limit) return { items, next: keysetOf(items[items.length - 1].story) };
      items.push({ story, entries: own });
    }
    if (batch.length < batchSize) return { items, next: null };
    cursor = keysetOf(batch[batch.length - 1]);
  }
  // Scanned enough for one request: the next page resumes where the scan stopped.
  return { items, next: cursor };
}

function keysetOf(s: StoryRow): Keyset {
  return { publishedAt: s.publishedAt, id: s.id };
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
