// Turns stored stories into the values the renderers take: representative entry, other outlets, attribution.
import type { Config } from '../config/index.ts';
import type { EntryRow } from '../store/index.ts';
import { storyImage } from './images.ts';
import type { StoryWithEntries } from './select.ts';
import type { PublishedEntry, PublishedStory } from './types.ts';

/** What the store knows of a source beyond feeds.json. */
export interface SourceFacts {
  feedTitle: string | null;
  siteUrl: string | null;
}

/** Builds the publishable story: the representative entry, then one entry per other outlet, earliest first. */
export function toPublished(item: StoryWithEntries, config: Config, facts: ReadonlyMap<string, SourceFacts>): PublishedStory {
  const { story, entries } = item;
  const toEntry = (e: EntryRow) => publishedEntry(e, config, facts);
  const representative = entries.find((e) => e.id === story.representativeEntryId) ?? entries[0];
  const seen = new Set([representative?.sourceId]);
  const others: EntryRow[] = [];
  for (const e of entries) {
    if (seen.has(e.sourceId)) continue;
    seen.add(e.sourceId);
    others.push(e);
  }
  const tags = new Set(entries.flatMap((e) => sourceOf(config, e.sourceId)?.tags ?? []));
  return {
    id: story.id,
    title: story.title,
    url: story.url,
    summary: story.summary,
    publishedAt: story.publishedAt,
    updatedAt: story.updatedAt,
    tags: [...tags].sort(),
    representative: toEntry(representative),
    others: others.map(toEntry),
    // From every member, not only the one entry per outlet written out: the same picture as the API's story.
    image: storyImage(story, entries),
  };
}

function publishedEntry(e: EntryRow, config: Config, facts: ReadonlyMap<string, SourceFacts>): PublishedEntry {
  const source = sourceOf(config, e.sourceId);
  const fact = facts.get(e.sourceId);
  return {
    entryId: e.id,
    sourceId: e.sourceId,
    sourceTitle: source?.title ?? fact?.feedTitle ?? e.sourceId,
    sourceFeedUrl: source?.url ?? '',
    sourceSiteUrl: fact?.siteUrl ?? null,
    title: e.title,
    url: e.link,
    summary: e.summary,
    contentHtml: e.content,
    author: e.author,
    publishedAt: e.publishedAt,
  };
}

const sourceIndex = new WeakMap<Config, Map<string, Config['sources'][number]>>();

// Configs are frozen, so an index built once per config stays right.
function sourceOf(config: Config, id: string) {
  let index = sourceIndex.get(config);
  if (!index) sourceIndex.set(config, (index = new Map(config.sources.map((s) => [s.id, s]))));
  return index.get(id);
}
