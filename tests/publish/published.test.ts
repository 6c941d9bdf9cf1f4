import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { toPublished } from '../../src/publish/published.ts';
import type { EntryRow, StoryRow } from '../../src/store/index.ts';
import { entryInput } from '../helpers/entries.ts';

const config = parseConfig(JSON.stringify({ sources: [{ id: 'alpha', url: 'https://alpha.example/feed' }, { id: 'beta', url: 'https://beta.example/feed' }] }), 'feeds.json');
const T = Date.UTC(2026, 4, 20, 12);

function row(id: number, sourceId: string, minute: number, image: string | null): EntryRow {
  const { image: _none, categories: _tags, ...input } = entryInput({ key: `${sourceId}-${id}`, publishedAt: T + minute * 60_000 });
  return { ...input, id, sourceId, categories: '', imageUrl: image, imageWidth: image ? 800 : null, imageHeight: image ? 450 : null, firstSeenAt: T, changedAt: T, storyId: 7, pendingSeq: null };
}

function story(representativeEntryId: number): StoryRow {
  return { id: 7, representativeEntryId, title: 't', url: null, summary: '', publishedAt: T, updatedAt: T, sourcesCount: 2, entriesCount: 3, topAt: T };
}

describe('toPublished', () => {
  it("takes the story's picture from every member, not only the entries it writes out", () => {
    // The representative has none; the next entry with one is the representative outlet's second entry, which is not
    // among `others` (one entry per other outlet), and it comes before the other outlet's.
    const entries = [row(1, 'alpha', 0, null), row(2, 'alpha', 5, 'https://img.example/alpha.jpg'), row(3, 'beta', 10, 'https://img.example/beta.jpg')];
    const published = toPublished({ story: story(1), entries }, config, new Map());
    expect(published.others.map((e) => e.entryId)).toEqual([3]);
    expect(published.image).toEqual({ url: 'https://img.example/alpha.jpg', width: 800, height: 450 });
  });

  it("prefers the representative's picture, and has none when no member has a publishable one", () => {
    const entries = [row(1, 'alpha', 0, 'https://img.example/first.jpg'), row(2, 'beta', 5, 'https://img.example/rep.jpg')];
    expect(toPublished({ story: story(2), entries }, config, new Map()).image?.url).toBe('https://img.example/rep.jpg');
    const none = [row(1, 'alpha', 0, null), row(2, 'beta', 5, 'javascript:alert(1)')];
    expect(toPublished({ story: story(2), entries: none }, config, new Map()).image).toBeNull();
  });
});
