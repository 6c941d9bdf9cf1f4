// Where several pollers share a PostgreSQL database, one that does not lead queues its entries (stored, searchable by
// no one, hidden from readers) and the leader assigns them in queue order: the stories are those one process polling
// alone would have made, and nothing is visible half-way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { Leadership } from '../../src/cluster/leadership.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { pollSource } from '../../src/pipeline/poll-source.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { engineContext } from '../helpers/engines.ts';
import { rss, type TestItem } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { PG_SKIP_REASON } from '../helpers/pg.ts';

const BASE = Date.UTC(2026, 4, 18, 6);
const EVENTS = [
  ['Earthquake of magnitude 7.1 strikes off northern Chile', 'No tsunami warning was issued after the quake near Antofagasta.'],
  ['Wildfires force evacuation of villages near Marseille', 'Firefighters battle flames fanned by the mistral wind.'],
  ['Japanese automaker recalls 300,000 cars over airbag fault', 'The inflators may rupture in a crash, the company said.'],
  ['Strike halts trains across Belgium for second day', 'Unions protest pension reform plans in Brussels.'],
];

// A story only one outlet tells, in words of its own.
const OWN: Record<string, string> = { a: 'Rowing club wins regatta on the Danube', b: 'Opera house stages forgotten Rossini work', c: 'Telescope spots icy comet beyond Neptune' };

function items(outlet: string): TestItem[] {
  return [
    ...EVENTS.map(([title, lede], i) => ({ title, description: lede, link: `https://${outlet}.example/e${i}`, guid: `${outlet}-e${i}`, pubDate: new Date(BASE + i * 7_200_000).toUTCString() })),
    { title: OWN[outlet]!, description: '', link: `https://${outlet}.example/own`, guid: `${outlet}-own`, pubDate: new Date(BASE).toUTCString() },
  ];
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(Object.fromEntries(['a', 'b', 'c'].map((o) => [`/${o}.xml`, { body: rss(o.toUpperCase(), items(o)) }])));
});
afterAll(() => server.close());

function config(): Config {
  return parseConfig(JSON.stringify({ settings: { timeout: '5s' }, sources: ['a', 'b', 'c'].map((id) => ({ id, url: server.url(`/${id}.xml`) })) }), 'feeds.json');
}

/** Stories as sets of entry links, independent of ids. */
async function partition(runtime: Runtime): Promise<string[]> {
  const groups = new Map<number, string[]>();
  for (const e of await runtime.store.listEntries({ limit: 1000 })) groups.set(e.storyId!, [...(groups.get(e.storyId!) ?? []), e.link!]);
  return [...groups.values()].map((g) => g.sort().join(' ')).sort();
}

describe.skipIf(PG_SKIP_REASON !== null)('the clustering queue [postgres]', () => {
  const ctx = engineContext('postgres');
  let alone: string[];

  it('a poller that leads assigns as it stores: the reference', async () => {
    const runtime = await openRuntime(config(), await ctx.fresh(), silentLogger());
    try {
      await runtime.poll();
      alone = await partition(runtime);
      expect(alone).toHaveLength(EVENTS.length + 3);
      expect(await runtime.store.pendingCount()).toBe(0);
    } finally {
      await runtime.close();
    }
  });

  it('a poller that does not lead queues its entries, hidden until the leader assigns them as one process would', async () => {
    const runtime = await openRuntime(config(), await ctx.fresh(), silentLogger());
    try {
      const t = Date.now();
      expect((await runtime.store.acquireLease('clustering', 'another:1:leader', t, t + 60_000, () => false)).holder).toBe('another:1:leader');
      const pass = await runtime.poll();
      expect(pass.newEntries).toBe(15);
      expect(pass.changedStories).toEqual([]);
      expect(await runtime.store.pendingCount()).toBe(15);
      const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime.assigner.terms(q), publisher: runtime.publisher });
      expect(((await (await app.request('/api/entries')).json()) as { entries: unknown[] }).entries).toEqual([]);
      expect(((await (await app.request('/api/stories')).json()) as { stories: unknown[] }).stories).toEqual([]);
      // The leader is gone (its lease given up): this process leads now and assigns the queue.
      await runtime.store.releaseLease('clustering', 'another:1:leader');
      const round = await runtime.assignQueue();
      expect(round).toMatchObject({ assigned: 15, createdStories: EVENTS.length + 3 });
      expect(await runtime.store.pendingCount()).toBe(0);
      expect(await partition(runtime)).toEqual(alone);
    } finally {
      await runtime.close();
    }
  });

  it('a leader that lost its lease while polling stores its entries queued instead, committing no story', async () => {
    const runtime = await openRuntime(config(), await ctx.fresh(), silentLogger());
    try {
      const leadership = new Leadership(runtime.store, 60_000, silentLogger(), 'this:1:poller');
      expect(await leadership.keep()).toBe(true);
      // Another process takes the lease over (it saw it expired): this one still believes it leads.
      await runtime.store.acquireLease('clustering', 'another:2:leader', Date.now() + 120_000, Date.now() + 180_000, () => false);
      expect(leadership.held).toBe(true);
      const cfg = runtime.config();
      const outcome = await pollSource(
        { store: runtime.store, assigner: runtime.assigner, now: Date.now, random: Math.random, leadership, fetchOptions: { timeoutMs: 5000, maxBytes: 1e6, userAgent: cfg.settings.userAgent } },
        cfg.sources[0]!,
      );
      expect(outcome).toMatchObject({ status: 'ok', newEntries: 5, createdStories: 0, changedStories: [] });
      expect(leadership.held).toBe(false);
      expect(await runtime.store.pendingCount()).toBe(5);
      expect(await runtime.store.listStories({ limit: 10 })).toEqual([]);
    } finally {
      await runtime.close();
    }
  });
});
