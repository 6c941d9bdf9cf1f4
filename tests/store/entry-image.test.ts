import { beforeEach, expect, it } from 'vitest';
import type { Storage } from '../../src/store/index.ts';
import { entryInput } from '../helpers/entries.ts';
import { eachEngine } from '../helpers/engines.ts';

const T = Date.UTC(2026, 4, 20, 12);
const PHOTO = { url: 'https://img.example/a.jpg', width: 1200, height: 675 };

eachEngine('entry images', (ctx) => {
  let store: Storage;

  beforeEach(async () => {
    store = await ctx.open();
    await store.syncSources([{ id: 'src', url: 'https://src.example/feed', priority: 0 }]);
  });

  async function imageOf(key: string) {
    const row = (await store.exportRows('entries', null, 1000)).find((r) => r.key === key);
    return row ? [row.imageUrl, row.imageWidth, row.imageHeight] : undefined;
  }

  it('stores the image of an upserted and of a batch-inserted entry, nulls without one', async () => {
    await store.upsertEntry('src', entryInput({ key: 'one', image: PHOTO }), T);
    await store.transaction((tx) =>
      tx.insertNewEntries('src', [entryInput({ key: 'two', image: { url: 'https://img.example/b.png', width: null, height: 90 } }), entryInput({ key: 'three' })], T),
    );
    expect(await imageOf('one')).toEqual([PHOTO.url, 1200, 675]);
    expect(await imageOf('two')).toEqual(['https://img.example/b.png', null, 90]);
    expect(await imageOf('three')).toEqual([null, null, null]);
  });

  it('an edit replaces the image, and removes it when the item no longer has one', async () => {
    const first = await store.upsertEntry('src', entryInput({ key: 'e', image: PHOTO, contentHash: 'h1' }), T);
    if (first.kind !== 'inserted') throw new Error('expected insert');
    const story = await store.startStory(first.id);
    const other = { url: 'https://img.example/new.webp', width: 800, height: 450 };
    expect((await store.upsertEntry('src', entryInput({ key: 'e', image: other, contentHash: 'h2' }), T + 1)).kind).toBe('updated');
    expect(await imageOf('e')).toEqual([other.url, 800, 450]);
    const [read] = await store.entriesOfStories([story]);
    expect([read?.imageUrl, read?.imageWidth, read?.imageHeight]).toEqual([other.url, 800, 450]);
    await store.upsertEntry('src', entryInput({ key: 'e', image: null, contentHash: 'h3' }), T + 2);
    expect(await imageOf('e')).toEqual([null, null, null]);
  });
});
