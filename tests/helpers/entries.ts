// Builds EntryInput values for tests.
import { createHash } from 'node:crypto';
import type { EntryInput } from '../../src/model.ts';

/** An entry with sensible defaults; override what the test is about. */
export function entryInput(over: Partial<EntryInput> & { key: string }): EntryInput {
  const base: EntryInput = {
    key: over.key,
    guid: null,
    title: `Title of ${over.key}`,
    link: `https://news.example/${over.key}`,
    canonicalUrl: `https://news.example/${over.key}`,
    summary: `Summary of ${over.key}`,
    content: null,
    author: null,
    categories: [],
    publishedAt: Date.UTC(2026, 4, 20, 12),
    updatedAt: null,
    originalDate: null,
    image: null,
    contentHash: '',
  };
  const e = { ...base, ...over };
  e.contentHash = over.contentHash ?? createHash('sha1').update(`${e.title}\n${e.summary}\n${e.link}`).digest('hex');
  return e;
}
