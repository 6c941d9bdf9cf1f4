import { beforeEach, expect, it } from 'vitest';
import { recluster } from '../../src/pipeline/recluster.ts';
import { StoryAssigner } from '../../src/pipeline/story-assigner.ts';
import { loadAliases } from '../../src/stories/index.ts';
import type { Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const T = Date.UTC(2026, 4, 20, 12);
const H = 3_600_000;
let store: Storage;
const options = { windowHours: 72, aliases: loadAliases() };

async function add(source: string, key: string, title: string, summary: string, at: number, story?: number): Promise<number> {
  const r = await store.upsertEntry(source, entryInput({ key, title, summary, publishedAt: at, canonicalUrl: `https://${source}.example/${key}` }), T);
  if (r.kind !== 'inserted') throw new Error('insert');
  const id = story ?? (await store.createStory(r.id));
  await store.assignStory(r.id, id);
  await store.refreshStory(id, T);
  return id;
}

const membership = async () => {
  const groups = new Map<number, string[]>();
  for (const r of (await store.clusteringInputs(0))) groups.set(r.storyId!, [...(groups.get(r.storyId!) ?? []), r.title]);
  return groups;
};

eachEngine('recluster', (ctx) => {
  beforeEach(async () => {
    store = await ctx.open();
    await store.syncSources(['bbc', 'dw', 'aje'].map((id) => ({ id, url: `https://${id}.example/feed`, priority: 0 })));
  });

  it('merges entries a previous model left apart, keeps ids of unchanged stories, and is idempotent', async () => {
    // Stored as three separate stories (as if an older model had missed the match)...
    const a = await add('bbc', 'z1', 'Zelensky calls for face-to-face talks with Putin', 'Ukraine’s president says he is ready to meet the Russian leader in person to end the war.', T);
    const b = await add('dw', 'z2', "Kremlin cool on Zelenskiy's offer of a meeting with Putin", 'Moscow says a meeting between Putin and Zelensky is premature as the war continues.', T + H);
    // ...and one unrelated story that must keep its id.
    const quake = await add('aje', 'q1', 'Strong earthquake strikes off the coast of Chile', 'A magnitude 7.1 earthquake struck off northern Chile, officials said; no tsunami warning was issued.', T + 2 * H);
    const summary = await recluster(store, options, 0, T + 3 * H);
    const groups = (await membership());
    expect(groups.get(quake)).toEqual(['Strong earthquake strikes off the coast of Chile']);
    const merged = [...groups.values()].find((g) => g.length === 2);
    expect(merged).toBeDefined();
    expect([a, b]).toContain([...groups.entries()].find(([, g]) => g.length === 2)![0]);
    expect(summary).toMatchObject({ entries: 3, stories: 2, storiesDeleted: 1, entriesMoved: 1 });
    expect((await store.listStories({ limit: 10 }))).toHaveLength(2);
    const again = await recluster(store, options, 0, T + 4 * H);
    expect(again).toMatchObject({ stories: 2, entriesMoved: 0, storiesCreated: 0, storiesDeleted: 0 });
  });

  it('leaves entries before --since in their stories', async () => {
    const old = await add('bbc', 'o1', 'Parliament passes budget after long night', 'The vote passed narrowly.', T - 10 * 24 * H);
    await add('dw', 'n1', 'Floods cut off mountain villages', 'Rescue teams reached the area by helicopter.', T);
    await recluster(store, options, T - 24 * H, T);
    expect((await membership()).get(old)).toEqual(['Parliament passes budget after long night']);
  });

  it('changes nothing right after polling, even where two stories tie for an entry', async () => {
    const assigner = new StoryAssigner(store, options);
    const poll = async (source: string, key: string, at: number) => {
      const title = 'Ceasefire talks resume in Doha as mediators press both sides';
      const r = await store.upsertEntry(source, entryInput({ key, title, summary: '', publishedAt: at, canonicalUrl: `https://${source}.example/${key}` }), T);
      if (r.kind !== 'inserted') throw new Error('insert');
      return (await assigner.assign(store, { entryId: r.id, sourceId: source, title, summary: '', canonicalUrl: `https://${source}.example/${key}`, publishedAt: at }, T)).storyId;
    };
    // The same headline 73 hours apart is two stories; an entry between them could join either: polling picks the older.
    const first = await poll('bbc', 'a', T);
    const second = await poll('dw', 'b', T + 73 * H);
    expect(second).not.toBe(first);
    expect(await poll('aje', 'c', T + 36 * H)).toBe(first);
    const before = (await membership());
    expect(await recluster(store, options, 0, T + 80 * H)).toMatchObject({ entriesMoved: 0, storiesCreated: 0, storiesDeleted: 0 });
    expect((await membership())).toEqual(before);
  });

  it('gives a story whose first entry moved out the time of its first remaining entry', async () => {
    // Stored together by an older model; the replay splits them, and each story is first published when its first entry was.
    const a = await add('bbc', 'x1', 'Central bank raises interest rates by half a point', 'Borrowing costs rise again.', T);
    await add('dw', 'x2', 'Volcano erupts on remote island, flights diverted', 'Ash cloud over the ocean.', T + 5 * H, a);
    await recluster(store, options, 0, T + 6 * H);
    for (const [id, titles] of (await membership())) {
      const story = (await store.storyById(id))!;
      expect(story.publishedAt).toBe(titles[0].startsWith('Central') ? T : T + 5 * H);
    }
    expect((await membership()).size).toBe(2);
  });
});
