import { describe, expect, it } from 'vitest';
import { StoryWindow, type ClusterDoc, type ClusteringSource, type StoredDoc } from '../../src/stories/index.ts';

const H = 3_600_000;
const T = Date.UTC(2026, 0, 10);

/** A store of assigned entries, as the database would answer the window. */
function memorySource(): ClusteringSource & { stored: StoredDoc[]; reads: number } {
  const src = {
    stored: [] as StoredDoc[],
    reads: 0,
    async between(from: number, to: number) {
      src.reads++;
      return src.stored.filter((d) => d.publishedAt >= from && d.publishedAt <= to).sort((a, b) => a.publishedAt - b.publishedAt || a.entryId - b.entryId);
    },
    async storyOfUrl(url: string, except: number) {
      return [...src.stored].sort((a, b) => a.entryId - b.entryId).find((d) => d.canonicalUrl === url && d.entryId !== except)?.storyId ?? null;
    },
  };
  return src;
}

let nextId = 1;
function doc(title: string, at: number, sourceId = 'a', url: string | null = null): ClusterDoc {
  return { entryId: nextId++, sourceId, title, summary: '', canonicalUrl: url, publishedAt: at };
}

async function store(src: ReturnType<typeof memorySource>, w: StoryWindow, d: ClusterDoc): Promise<number> {
  const storyId = (await w.decide(d)).storyId ?? 1000 + d.entryId;
  src.stored.push({ ...d, storyId });
  w.add(d, storyId);
  return storyId;
}

describe('StoryWindow', () => {
  it('finds a stored story of any age that this window never held, and holds only entries near the one decided', async () => {
    const src = memorySource();
    const old = doc('Earthquake of magnitude 7.1 strikes off northern Chile coast', T - 400 * 24 * H);
    src.stored.push({ ...old, storyId: 7 });
    for (let i = 0; i < 20; i++) src.stored.push({ ...doc(`Unrelated report number ${i} about harvest prices`, T + i * H), storyId: 100 + i });
    const w = new StoryWindow(src, { windowHours: 72 });
    // A fresh window (a new process) reads the old one's neighbourhood from the source.
    expect((await w.decide(doc('Earthquake of magnitude 7.1 strikes off northern Chile coast', T - 400 * 24 * H + 2 * H, 'b'))).storyId).toBe(7);
    expect(w.size).toBe(1);
    // Moving to today forgets last year and loads today's entries.
    await w.decide(doc('Something else entirely', T));
    expect(w.size).toBe(20);
  });

  it('does not join a generic headline to the same headline outside the window', async () => {
    const src = memorySource();
    const w = new StoryWindow(src, { windowHours: 72 });
    const first = await store(src, w, doc('Morning briefing: what you need to know today', T, 'a'));
    expect(await store(src, w, doc('Morning briefing: what you need to know today', T + 2 * H, 'b'))).toBe(first);
    expect(await store(src, w, doc('Morning briefing: what you need to know today', T + 10 * 24 * H, 'b'))).not.toBe(first);
  });

  it('joins the same canonical URL whatever its age, from the source rather than memory', async () => {
    const src = memorySource();
    src.stored.push({ ...doc('Original headline', T - 90 * 24 * H, 'a', 'https://x.example/1'), storyId: 42 });
    const w = new StoryWindow(src, { windowHours: 72 });
    expect(await w.decide(doc('A completely rewritten headline', T, 'b', 'https://x.example/1'))).toMatchObject({ storyId: 42, reason: 'url' });
  });

  it('decides the same after a reset as without one (nothing carried over from earlier windows)', async () => {
    const src = memorySource();
    const w = new StoryWindow(src, { windowHours: 72 });
    const titles = ['Floods cut off mountain villages in Pakistan', 'Pakistan floods: villages cut off in Swat valley', 'Chess champion keeps title after tie-break', 'Floods in Pakistan leave villages cut off'];
    const a: number[] = [];
    for (const [i, t] of titles.entries()) a.push(await store(src, w, doc(t, T + i * H, `s${i}`)));
    const replay = memorySource();
    const fresh = new StoryWindow(replay, { windowHours: 72 });
    const b: number[] = [];
    for (const [i, t] of titles.entries()) {
      fresh.reset();
      b.push(await store(replay, fresh, doc(t, T + i * H, `s${i}`)));
    }
    const shape = (ids: number[]) => ids.map((id) => ids.indexOf(id));
    expect(shape(b)).toEqual(shape(a));
    expect(shape(a)).toEqual([0, 0, 2, 0]);
  });

  it('reads ahead of the window: entries decided a minute apart cost one read, not one each', async () => {
    const src = memorySource();
    const w = new StoryWindow(src, { windowHours: 72 });
    for (let i = 0; i < 50; i++) await store(src, w, doc(`Harvest report ${i} from region number ${i}`, T + i * 60_000, `s${i}`));
    expect(src.reads).toBe(1);
  });

  it('holds an entry stored beyond the window but within what was read once the window reaches it', async () => {
    const src = memorySource();
    const w = new StoryWindow(src, { windowHours: 72 });
    await store(src, w, doc('Harvest prices fall across the plains', T));
    // Stored (as another decision would) past the window's far edge (144 h) but within what the first decision
    // read ahead: kept aside, not dropped.
    const beyond = doc('Volcano erupts near island airport, flights halted', T + 150 * H, 'a');
    src.stored.push({ ...beyond, storyId: 77 });
    w.add(beyond, 77);
    const reads = src.reads;
    const later = await w.decide(doc('Volcano erupts near island airport, flights halted', T + 151 * H, 'b'));
    expect(later).toMatchObject({ storyId: 77, reason: 'headline' });
    // It came from memory: the read for the window's new far edge starts after what was read before.
    expect(src.reads).toBe(reads + 1);
  });
});
