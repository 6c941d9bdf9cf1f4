import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { createFeedCache, packFeed, type RenderedFeed } from '../../src/publish/cache.ts';
import { FeedPublisher } from '../../src/publish/publisher.ts';
import type { StoryReader } from '../../src/publish/select.ts';
import { loadAliases } from '../../src/stories/index.ts';
import type { Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const T = Date.UTC(2026, 4, 20, 12);
const BASE = 'http://feeds.test';
const aliases = loadAliases();
const config = parseConfig(
  JSON.stringify({
    sources: [
      { id: 'alpha', url: 'https://alpha.example/feed' },
      { id: 'beta', url: 'https://beta.example/feed' },
    ],
    feeds: [
      { slug: 'ukraine', title: 'Ukraine', include: ['Kyiv'] },
      { slug: 'wide', title: 'Widely covered', minSources: 2 },
    ],
  }),
  'feeds.json',
);
const key = (slug: string, format = 'rss') => `${slug}\n${format}\n${BASE}`;

let store: Storage;
let n = 0;
/** Runs inside the reader's next story query, once (a change landing while a re-render runs). */
let duringNextRender: (() => Promise<void>) | null = null;
/** Runs once the reader's next story query has read its rows (a change landing after a render read, before it ends). */
let afterNextRead: (() => Promise<void>) | null = null;
let failRenders = false;
const log = { error: vi.fn() };

async function addStory(title: string): Promise<void> {
  n++;
  const r = await store.upsertEntry('alpha', entryInput({ key: `k${n}`, title, publishedAt: T + n * 60_000 }), T);
  if (r.kind !== 'inserted') throw new Error('insert');
  const story = await store.createStory(r.id);
  await store.assignStory(r.id, story);
  await store.refreshStory(story, T + n * 60_000);
}

function makePublisher(): FeedPublisher {
  const reader: StoryReader = {
    stories: async (f) => {
      if (failRenders) throw new Error('database is locked');
      const hook = duringNextRender;
      duringNextRender = null;
      await hook?.();
      const rows = await store.listStories(f);
      const after = afterNextRead;
      afterNextRead = null;
      await after?.();
      return rows;
    },
    topStories: (f) => store.topStories(f),
    entriesOf: (ids) => store.entriesOfStories(ids),
  };
  return new FeedPublisher({ reader, config: () => current, sourceFacts: async () => new Map(), aliases: () => aliases, generator: 'storywire/test', now: () => T + 86_400_000, log: log as unknown as Logger });
}

let publisher: FeedPublisher;
let current = config;
eachEngine('FeedPublisher.invalidate', (ctx) => {
  beforeEach(async () => {
    current = config;
    store = await ctx.open();
    await store.syncSources(config.sources);
    duringNextRender = null;
    afterNextRead = null;
    failRenders = false;
    log.error.mockClear();
    await addStory('Typhoon reaches the coast');
    publisher = makePublisher();
    for (const slug of ['all', 'ukraine', 'wide']) await publisher.get(slug, 'rss', BASE);
  });

  it('resolves every call made before the re-render ran, each with the changes of all of them', async () => {
    // The re-render waits for its timer, held here until the three calls are made: on PostgreSQL the store's I/O in
    // between would let it run earlier (a call during a re-render is the next test's case).
    let rerender = () => {};
    const timer = vi.spyOn(globalThis, 'setImmediate').mockImplementationOnce(((fn: () => void) => void (rerender = fn)) as unknown as typeof setImmediate);
    const first = publisher.invalidate();
    timer.mockRestore();
    await addStory('Kyiv talks resume');
    // A reader asks in between: all.rss is rendered with the new story before the second invalidation snapshots it.
    expect((await publisher.get('all', 'rss', BASE))!.body.toString()).toContain('Kyiv talks resume');
    const second = publisher.invalidate();
    const third = publisher.invalidate({ configChanged: true });
    rerender();
    const results = await Promise.all([first, second, third]);
    // all.rss is compared with the body readers had before the first call, so its change is not lost.
    for (const r of results) expect(r).toEqual({ changed: [key('all'), key('ukraine')], failed: [] });
  });

  it('resolves a call made during a re-render with the feeds that render had not reached yet', async () => {
    let during: Promise<unknown> | null = null;
    duringNextRender = async () => {
      await addStory('Kyiv talks resume');
      during = publisher.invalidate();
    };
    await addStory('Storm leaves thousands without power');
    const first = await publisher.invalidate();
    expect(during).not.toBeNull();
    expect(first).toEqual({ changed: [key('all'), key('ukraine')], failed: [] });
    // The change landed while all.rss was being rendered: both its feeds still showed the old bodies then.
    expect(await during).toEqual({ changed: [key('all'), key('ukraine')], failed: [] });
    expect((await publisher.get('ukraine', 'rss', BASE))!.body.toString()).toContain('Kyiv talks resume');
  });

  it('gives a request arriving while its feed re-renders that same render, so every body readers get is one a re-render compared', async () => {
    let served: Promise<RenderedFeed | null> | null = null;
    // all.rss is re-rendered first: once it has read the stories, a new one is stored and a reader asks for all.rss.
    afterNextRead = async () => {
      await addStory('Kyiv talks resume');
      served = publisher.get('all', 'rss', BASE);
    };
    const first = await publisher.invalidate();
    expect(served).not.toBeNull();
    // The reader got what the cache now holds: never a body the re-render did not compare, nor one older than it.
    expect((await served!)!.etag).toBe((await publisher.get('all', 'rss', BASE))!.etag);
    // The pass that stored the story invalidates after it: between the two calls every change is reported.
    const second = await publisher.invalidate();
    expect([...first.changed, ...second.changed].sort()).toEqual([key('all'), key('ukraine')]);
    expect((await publisher.get('all', 'rss', BASE))!.body.toString()).toContain('Kyiv talks resume');
  });

  it('does not report a feed the new config removed as changed (nothing to ping)', async () => {
    current = { ...config, feeds: config.feeds.filter((f) => f.slug !== 'wide') };
    await addStory('Kyiv metro reopens');
    expect(await publisher.invalidate({ configChanged: true })).toEqual({ changed: [key('all'), key('ukraine')], failed: [] });
  });

  it('reports nothing changed when nothing did', async () => {
    expect(await publisher.invalidate()).toEqual({ changed: [], failed: [] });
  });

  it('never throws out of the timer: a failed re-render is logged and reported to every caller', async () => {
    failRenders = true;
    const results = await Promise.all([publisher.invalidate(), publisher.invalidate()]);
    for (const r of results) expect(r).toEqual({ changed: [], failed: [key('all'), key('ukraine'), key('wide')] });
    expect(log.error).toHaveBeenCalledTimes(3);
    expect(log.error.mock.calls[0][1]).toBe('feed.render_failed');
    // The next request renders again once the cause is gone.
    failRenders = false;
    expect((await publisher.get('all', 'rss', BASE))).not.toBeNull();
    expect(await publisher.invalidate()).toEqual({ changed: [], failed: [] });
  });
});

describe('the feed cache', () => {
  it('is bounded by bytes, and the least recently used feed goes first', async () => {
    const feed = (size: number) => packFeed('x'.repeat(size), 'text/plain', null);
    const one = feed(10_000);
    const perFeed = one.body.length + one.gzip.length + one.br.length;
    const cache = createFeedCache(3 * (perFeed + 400));
    cache.set('a', one);
    cache.set('b', feed(10_000));
    cache.set('c', feed(10_000));
    cache.get('a');
    cache.set('d', feed(10_000));
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(cache.calculatedSize).toBeLessThanOrEqual(3 * (perFeed + 400));
    // A body larger than the whole budget is served but never kept.
    cache.set('huge', feed(4_000_000));
    expect(cache.has('huge')).toBe(false);
  });
});
