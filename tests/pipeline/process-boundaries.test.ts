// The story of an entry is a function of the entries stored, never of how many processes, restarts or crashes
// it took to store them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { recluster } from '../../src/pipeline/recluster.ts';
import { clustererOptions, openRuntime } from '../../src/runtime.ts';
import { loadAliases } from '../../src/stories/index.ts';
import { isPostgresUrl, openStorage } from '../../src/store/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { eachEngine } from '../helpers/engines.ts';
import { rss, type TestItem } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const DAY = 86_400_000;
// Ten days ago and before: older than any window a process would warm itself with.
const BASE = Date.now() - 14 * DAY;

// Ten events; outlets a and b use the same headline, c rewords some; each outlet also has stories of its own.
const EVENTS: [string, string, string | null][] = [
  ['Earthquake of magnitude 7.1 strikes off northern Chile', 'No tsunami warning was issued after the quake near Antofagasta.', 'Chile quake: magnitude 7.1 tremor shakes Antofagasta'],
  ['Parliament in Lisbon approves budget after all-night session', 'The minority government won the vote with abstentions.', null],
  ['Wildfires force evacuation of villages near Marseille', 'Firefighters battle flames fanned by the mistral wind.', 'Thousands evacuated as wildfire spreads outside Marseille'],
  ['Kenya and Ethiopia sign border trade agreement in Nairobi', 'The deal cuts tariffs on goods crossing at Moyale.', null],
  ['Dutch central bank warns of housing market slowdown', 'House prices fell for a third month, the bank said.', 'Housing slowdown ahead, Dutch central bank warns'],
  ['Floods cut off mountain villages in northern Pakistan', 'Rescue teams reached the Swat valley by helicopter.', null],
  ['Japanese automaker recalls 300,000 cars over airbag fault', 'The inflators may rupture in a crash, the company said.', 'Airbag fault prompts recall of 300,000 Japanese cars'],
  ['Chess champion retains title after tie-break in Astana', 'The final rapid game ended in a draw after 80 moves.', null],
  ['Strike halts trains across Belgium for second day', 'Unions protest pension reform plans in Brussels.', 'Belgian rail strike enters second day over pensions'],
  ['Scientists map coral bleaching across Great Barrier Reef', 'Aerial surveys found bleaching on two thirds of reefs.', null],
];

// Stories only one outlet tells, in vocabularies of their own.
const OWN: Record<'a' | 'b' | 'c', [string, string][]> = {
  a: [['Rowing club', 'wins regatta on the Danube'], ['Cyclist', 'breaks hour record in Grenchen'], ['Goalkeeper', 'signs for Porto'], ['Marathon', 'route changes in Valencia'], ['Tennis academy', 'opens in Split'],
    ['Volleyball league', 'expands to twelve teams'], ['Ski jumper', 'injured in Planica'], ['Rugby union', 'suspends referee'], ['Sailing crew', 'rescued off Azores'], ['Boxing board', 'bans promoter']],
  b: [['Opera house', 'stages forgotten Rossini work'], ['Poet', 'awarded Ondaatje prize'], ['Gallery', 'returns bronzes to Benin'], ['Film festival', 'picks jury in Locarno'], ['Novelist', 'publishes memoir of exile'],
    ['Orchestra', 'tours Andean towns'], ['Museum', 'restores Flemish altarpiece'], ['Playwright', 'premieres satire in Prague'], ['Choir', 'records Estonian hymns'], ['Sculptor', 'unveils granite memorial']],
  c: [['Telescope', 'spots icy comet'], ['Geneticists', 'sequence ancient barley'], ['Volcanologists', 'measure Etna gas'], ['Physicists', 'cool atoms below nanokelvin'], ['Botanists', 'find orchid in Borneo'],
    ['Chemists', 'make recyclable plastic'], ['Glaciologists', 'drill Antarctic ice core'], ['Zoologists', 'tag whale sharks'], ['Engineers', 'test tidal turbine'], ['Mathematicians', 'prove packing conjecture']],
};

function at(i: number, hours: number): string {
  return new Date(BASE + i * 0.7 * DAY + hours * 3_600_000).toUTCString();
}

function outletItems(outlet: 'a' | 'b' | 'c'): TestItem[] {
  const items: TestItem[] = [];
  EVENTS.forEach(([title, lede, reworded], i) => {
    const link = (k: string) => `https://${outlet}.example/news/${k}`;
    if (outlet === 'c') {
      if (reworded) items.push({ title: reworded, description: lede, link: link(`e${i}`), guid: `c-e${i}`, pubDate: at(i, 3) });
    } else items.push({ title, description: lede, link: link(`e${i}`), guid: `${outlet}-e${i}`, pubDate: at(i, outlet === 'a' ? 0 : 2) });
    const [subject, event] = OWN[outlet][i];
    items.push({ title: `${subject} ${event}`, description: `${event} (${subject}).`, link: link(`own${i}`), guid: `${outlet}-own${i}`, pubDate: at(i, 1) });
  });
  return items;
}

let dir: string;
let server: FixtureServer;
// While set, b's feed hangs until released: a poller can be killed with a's entries committed and b's in flight.
let holdB: (() => void) | null = null;
let bRequested: (() => void) | null = null;

function configFile(name: string): string {
  const file = path.join(dir, name);
  const config = {
    settings: { timeout: '20s', interval: '1m' },
    sources: ['a', 'b', 'c'].map((id) => ({ id, url: server.url(`/${id}.xml`) })),
  };
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

async function committed(db: string): Promise<boolean> {
  if (!isPostgresUrl(db) && !fs.existsSync(db)) return false;
  try {
    return (await partition(db)).length > 0;
  } catch {
    return false;
  }
}

/** Stories as sets of entry links, independent of ids. */
async function partition(db: string): Promise<string[]> {
  const store = await openStorage(db);
  try {
    const groups = new Map<number, string[]>();
    for (const e of (await store.listEntries({ limit: 1000 }))) groups.set(e.storyId!, [...(groups.get(e.storyId!) ?? []), e.link!]);
    return [...groups.values()].map((g) => g.sort().join(' ')).sort();
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-boundaries-'));
  server = await startFixtureServer({
    '/a.xml': { body: rss('A', outletItems('a')) },
    '/c.xml': { body: rss('C', outletItems('c')) },
    '/b.xml': (_req, res) => {
      const send = () => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('B', outletItems('b')));
      bRequested?.();
      if (holdB) holdB = send;
      else send();
    },
  });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

eachEngine('stories', (ctx) => {
  describe('do not depend on process boundaries', { timeout: 120_000 }, () => {
    let clean: string[];
    // The database the source-by-source passes wrote, which the recluster test reads right after.
    let separate: string;

    it('one pass in one process groups the shared headlines and rewordings, whatever their age', async () => {
      const db = await ctx.fresh(path.join(dir, 'one-pass.db'));
      const r = await runCli(['poll', '--config', configFile('feeds.json'), '--db', db]);
      expect(r.code).toBe(0);
      clean = await partition(db);
      // 10 events (a+b, plus c for five of them) and 30 stories of one outlet.
      expect(clean).toHaveLength(40);
      expect(clean.filter((g) => g.split(' ').length === 3)).toHaveLength(5);
      expect(clean.filter((g) => g.split(' ').length === 2)).toHaveLength(5);
    });

    it('source by source in separate processes gives the same stories', async () => {
      const db = (separate = await ctx.fresh(path.join(dir, 'separate.db')));
      for (const id of ['b', 'c', 'a']) expect((await runCli(['poll', '--config', configFile('feeds.json'), '--db', db, '--source', id])).code).toBe(0);
      expect(await partition(db)).toEqual(clean);
    });

    it('recluster right after a poll changes nothing', async () => {
      const store = await openStorage(separate);
      try {
        const config = parseConfig(fs.readFileSync(configFile('feeds.json'), 'utf8'), 'feeds.json');
        const summary = await recluster(store, clustererOptions(config, loadAliases()), 0, Date.now());
        expect(summary).toMatchObject({ entries: 55, storiesCreated: 0, storiesDeleted: 0, entriesMoved: 0 });
      } finally {
        await store.close();
      }
      expect(await partition(separate)).toEqual(clean);
    });

    it('one long-lived process polling a source per pass gives the same stories', async () => {
      const db = await ctx.fresh(path.join(dir, 'long-lived.db'));
      const config = parseConfig(fs.readFileSync(configFile('feeds.json'), 'utf8'), 'feeds.json');
      const runtime = await openRuntime(config, db, silentLogger());
      try {
        for (const id of ['c', 'a', 'b']) await runtime.poll({ sourceId: id });
      } finally {
        await runtime.close();
      }
      expect(await partition(db)).toEqual(clean);
    });

    it('a poller killed with -9 in the middle, then a new pass, gives the same stories', async () => {
      const db = await ctx.fresh(path.join(dir, 'killed.db'));
      holdB = () => {};
      const requested = new Promise<void>((resolve) => (bRequested = resolve));
      const poller = startCli(['poll', '--config', configFile('feeds.json'), '--db', db]);
      await requested;
      // Wait until a is committed; b is in flight (held) and c waits for b's turn: kill without a chance to clean up.
      for (let i = 0; i < 200 && !await committed(db); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await poller.stop('SIGKILL')).toBe(null);
      const release = holdB;
      holdB = null;
      bRequested = null;
      release();
      expect((await partition(db)).length).toBeGreaterThan(0);
      expect((await runCli(['poll', '--config', configFile('feeds.json'), '--db', db])).code).toBe(0);
      expect(await partition(db)).toEqual(clean);
    });
  });
});
