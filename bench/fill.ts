// Fills a database with synthetic entries and stories quickly (direct store writes, no HTTP), for serving benchmarks.
import { createHash } from 'node:crypto';
import { entrySearchTerms } from '../src/stories/index.ts';
import type { Storage } from '../src/store/index.ts';
import { headline, seeded } from './synthetic.ts';

/** Inserts `total` entries from `sources` sources into stories of 1-3 entries, newest at `now`, one minute apart per story. */
export async function fillStore(store: Storage, total: number, now: number, sources = 20): Promise<void> {
  await store.syncSources(Array.from({ length: sources }, (_, i) => ({ id: `s${i}`, url: `http://127.0.0.1/feed${i}.xml`, priority: 0 })));
  const rand = seeded(42);
  let n = 0;
  let storyNo = 0;
  while (n < total) {
    await store.transaction(async (tx) => {
      for (let batch = 0; batch < 5000 && n < total; storyNo++) {
        const size = 1 + Math.floor(rand() * 3);
        const t = now - (total - n) * 30_000;
        let story = 0;
        for (let k = 0; k < size && n < total; k++, n++, batch++) {
          const { title, summary } = headline(rand, storyNo);
          const sourceId = `s${(storyNo + k) % sources}`;
          const link = `https://outlet${sourceId}.example/news/${storyNo}-${k}`;
          const r = await tx.upsertEntry(sourceId, {
            key: `url:${link}`, guid: null, title, link, canonicalUrl: link, summary, content: null, author: null, categories: [],
            publishedAt: t + k * 60_000, updatedAt: null, originalDate: null, image: null, contentHash: createHash('sha1').update(link).digest('hex'),
          }, now);
          if (r.kind !== 'inserted') continue;
          await tx.indexForSearch(r.id, entrySearchTerms(title, summary));
          if (k === 0) story = await tx.createStory(r.id);
          await tx.assignStory(r.id, story);
        }
        if (size > 1) await tx.refreshStory(story, now);
      }
    });
  }
}
