// Scaling out on PostgreSQL with real processes: workers share the polling through source leases, one clustering
// leader at a time assigns stories, web servers (serve --no-poll) learn of changes from the database. Whatever is
// killed, nothing is lost, fetched twice in an interval or grouped differently from a single node on the same feeds.
// The last describe checks that SQLite lets only one poller at a time use a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/store/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { rss, type TestItem } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer, type RouteHandler } from '../helpers/fixture-server.ts';
import { createTestDatabase, PG_SKIP_REASON, type TestDatabase } from '../helpers/pg.ts';

const HOUR = 3_600_000;
// Recent: every entry is inside the story window of every process, however late it joins.
const NOW = Date.now();

// Thirty events in vocabularies of their own. Every outlet that tells an event uses its headline word for word, so the
// grouping is clear-cut: the same four entries make a story in whatever order they arrive.
const EVENTS: [string, string][] = [
  ['Earthquake of magnitude 6.8 shakes coastal Peru', 'Buildings swayed in Lima; no tsunami alert followed.'],
  ['Icelandic volcano erupts beside Grindavik harbour town', 'Lava fountains lit up the Reykjanes peninsula.'],
  ['Norwegian parliament passes sovereign fund ethics bill', 'Lawmakers tightened rules on tobacco and arms holdings.'],
  ['Ferry capsizes on Lake Victoria, dozens rescued', 'Fishermen pulled survivors from the water at Mwanza.'],
  ['Brazilian senate approves Amazon logging moratorium', 'Satellite monitoring will track clearing in Para state.'],
  ['Swiss glacier collapse buries alpine hamlet', 'Residents of Blatten had been evacuated earlier.'],
  ['Indian space agency lands rover at lunar south pole', 'Chandrayaan engineers cheered in Bengaluru.'],
  ['Canadian wildfire smoke blankets Toronto skyline', 'Air quality warnings were issued across Ontario.'],
  ['Mexican peso slides after central bank rate cut', 'Banxico trimmed borrowing costs by half a point.'],
  ['Greek dockworkers strike over pension overhaul', 'Boats stayed moored at Piraeus and Rafina.'],
  ['Typhoon batters northern Philippines with torrential rain', 'Luzon provinces reported landslides and mudslides.'],
  ['Danish brewer unveils fossil-free bottle made from wood fibre', 'Carlsberg will test the packaging in Copenhagen bars.'],
  ['Argentine court convicts former intelligence chief', 'Judges in Buenos Aires handed down an eight-year sentence.'],
  ['Kenyan marathoner breaks Berlin course mark', 'She crossed the line in two hours eleven minutes.'],
  ['Polish farmers blockade Ukrainian border crossing', 'Tractors lined the road at Dorohusk for a third morning.'],
  ['Vietnamese exporters hit by container shortage', 'Freight prices from Haiphong doubled in a month.'],
  ['Scottish distillery fire destroys thousands of whisky casks', 'Firefighters worked overnight at the Speyside warehouse.'],
  ['Egyptian archaeologists uncover sealed pharaonic tomb in Luxor', 'The burial chamber held painted sarcophagi.'],
  ['Chilean lithium miners sign wage deal ending walkout', 'Operations resume at the Atacama salt flats.'],
  ['Finnish startup builds sand battery holding wind heat', 'The Kankaanpaa facility warms homes through winter.'],
  ['Nigerian naira rebounds as crude shipments surge', 'Lagos traders welcomed the stronger currency.'],
  ['Austrian avalanche traps skiers at Ischgl resort', 'Mountain guides dug out four skiers alive.'],
  ['South Korean shipyard wins giant LNG tanker order', 'Hanwha Ocean will deliver twelve vessels by 2029.'],
  ['Moroccan solar plant expands desert power capacity', 'The Noor complex outside Ouarzazate adds storage.'],
  ['Irish housing protest fills Dublin streets', 'Renters demanded caps on rising rents.'],
  ['Thai elephants relocated from flooded sanctuary in Chiang Mai', 'Keepers guided the herd through waist-deep floodwaters.'],
  ['Portuguese vineyards celebrate harvest after dry summer', 'Douro valley growers expect a smaller but richer vintage.'],
  ['Hungarian orchestra cancels tour amid funding dispute', 'Budapest musicians say the ministry withheld grants.'],
  ['New Zealand bans bottom trawling on seamounts', 'Conservation groups praised the Wellington decision.'],
  ['Turkish lira hits low as inflation tops forecasts', 'Istanbul shoppers rushed to buy gold and dollars.'],
];
// The news that arrives once the first pass is done (the feeds change), and the news of a source added by a reload.
const LATE: [string, string] = ['Belgian chocolatier recalls pralines over nut traces', 'Shops in Antwerp pulled boxes from shelves.'];
const ADDED: [string, string] = ['Estonian icebreakers free cargo ships stuck off Tallinn', 'The harbour authority expects traffic to resume by Friday.'];

const FEEDS = 60;
const ids = Array.from({ length: FEEDS }, (_, i) => `s${String(i).padStart(2, '0')}`);
/** The two events outlet i tells: every event is told by four outlets (i ≡ k and 7i + 3 ≡ k mod 30 never coincide). */
const eventsOf = (i: number) => [i % 30, (7 * i + 3) % 30];
const ENTRIES = FEEDS * 2;
// Outlets that carry the late news once the feeds change.
const LATE_OUTLETS = [0, 1, 2];

function item(outlet: string, key: string, [title, lede]: [string, string], hoursAgo: number, sharedLink: boolean): TestItem {
  // Some events come from a wire service: every outlet links to the same article, so they share a canonical URL.
  const link = sharedLink ? `https://wire.example/story/${key}` : `https://${outlet}.example/news/${key}`;
  return { title, description: lede, link, guid: `${outlet}-${key}`, pubDate: new Date(NOW - hoursAgo * HOUR).toUTCString() };
}

let lateNews = false;
function feedBody(i: number): string {
  const outlet = ids[i];
  const items = eventsOf(i).map((k) => item(outlet, `e${k}`, EVENTS[k], 1 + k / 2, k % 5 === 0));
  if (lateNews && LATE_OUTLETS.includes(i)) items.unshift(item(outlet, 'late', LATE, 0.5, false));
  return rss(`Outlet ${outlet}`, items);
}

// Fixture feeds: while `holding` says so, a request waits (in flight) until release(); inFlight and maxInFlight count
// the requests being answered, whoever sent them.
let server: FixtureServer;
let holding: ((id: string) => boolean) | null = null;
const held: (() => void)[] = [];
let inFlight = 0;
let maxInFlight = 0;
// When each feed request arrived (this process's clock, which the pollers' leases use too).
const arrivals: { id: string; at: number }[] = [];

function feedRoute(i: number): RouteHandler {
  return (_req, res) => {
    arrivals.push({ id: ids[i], at: Date.now() });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const send = () => {
      // The poller may have been killed while the request was held.
      if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(feedBody(i));
    };
    if (holding?.(ids[i])) held.push(send);
    else send();
  };
}

function hold(which: (id: string) => boolean): void {
  holding = which;
  maxInFlight = inFlight;
}

function release(): void {
  holding = null;
  for (const send of held.splice(0)) send();
}

/** Requests per feed path since `mark` (an index into server.requests). */
function fetchesSince(mark: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of server.requests.slice(mark)) counts.set(r.url, (counts.get(r.url) ?? 0) + 1);
  return counts;
}

let dir: string;

/** A feeds.json in dir: the first `count` outlets (and more sources), the given lease, one public URL for every replica. */
function configFile(name: string, opts: { lease?: string; count?: number; more?: { id: string; url: string }[] } = {}): string {
  const file = path.join(dir, name);
  const config = {
    settings: {
      interval: '15m',
      concurrency: 4,
      // Every fixture feed is on 127.0.0.1: the host limit, shared by all pollers, must not be what limits the test.
      perHostConcurrency: 16,
      timeout: '20s',
      publicUrl: 'https://news.example/',
      ...(opts.lease ? { lease: opts.lease } : {}),
    },
    sources: [...ids.slice(0, opts.count ?? FEEDS).map((id) => ({ id, url: server.url(`/${id}.xml`) })), ...(opts.more ?? [])],
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

// How long a process may take to start: every one compiles the sources (tsx) and several start at once on 2 cores.
const STARTING = 60_000;

// Processes, killed with -9 after each test whatever happened to it.
type Proc = ReturnType<typeof startCli>;
const running: Proc[] = [];

function start(args: string[], env: Record<string, string> = {}): Proc {
  const proc = startCli(args, env);
  running.push(proc);
  return proc;
}

/**
 * A worker named `node` (its lease holder ids start with `node:`), started once it said so; with `metrics`, its
 * /healthz and /metrics on a free port, at `base`.
 */
async function startWorker(db: string, config: string, node: string, opts: { metrics?: boolean; concurrency?: number; env?: Record<string, string> } = {}): Promise<Proc & { base: string }> {
  const args = ['worker', '--config', config, '--db', db];
  if (opts.concurrency) args.push('--concurrency', String(opts.concurrency));
  if (opts.metrics) args.push('--metrics-port', '0', '--metrics-host', '127.0.0.1');
  const proc = start(args, { STORYWIRE_NODE_NAME: node, ...opts.env });
  await eventually(`worker ${node} to start`, () => /storywire worker \S+ polling /.test(proc.output()) || exited(proc), STARTING);
  expect(proc.output()).toMatch(/storywire worker \S+ polling /);
  const port = /\(metrics on port (\d+)\)/.exec(proc.output())?.[1];
  expect(port !== undefined).toBe(Boolean(opts.metrics));
  return { ...proc, base: `http://127.0.0.1:${port}` };
}

/** A web server (serve --no-poll) on a free port; its base URL. */
async function startWeb(db: string, config: string, node: string): Promise<{ proc: Proc; url: string }> {
  const proc = start(['serve', '--no-poll', '--config', config, '--db', db, '--port', '0', '--host', '127.0.0.1'], { STORYWIRE_NODE_NAME: node });
  const url = await eventually(`web server ${node} to listen`, () => /listening on (http:\/\/\S+)\//.exec(proc.output())?.[1] ?? exited(proc), STARTING);
  expect(url).toMatch(/^http:/);
  return { proc, url: url as string };
}

/** False while the process runs; its output once it ended (so waiting for it stops with something to show). */
function exited(proc: Proc): false | string {
  return proc.exited() ? `(exited) ${proc.output()}` : false;
}

/** Polls `check` every 200 ms until it returns something other than false/undefined; fails naming `what` after `ms`. */
async function eventually<T>(what: string, check: () => T | false | undefined | Promise<T | false | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Health {
  status: string;
  role: string;
  engine: string;
  node: string;
  leases: number;
  leader: boolean;
  backlog: number;
}

async function healthz(base: string): Promise<Health> {
  const res = await fetch(`${base}/healthz`);
  expect(res.status).toBe(200);
  return (await res.json()) as Health;
}

/** What a database holds, independent of ids: entries by source and link, and stories as sets of them. */
async function contents(db: string): Promise<{ entries: string[]; stories: string[] }> {
  const store = await openStorage(db);
  try {
    const rows = await store.listEntries({ limit: 1000 });
    const groups = new Map<number, string[]>();
    for (const e of rows) groups.set(e.storyId!, [...(groups.get(e.storyId!) ?? []), `${e.sourceId} ${e.link}`]);
    return {
      entries: rows.map((e) => `${e.sourceId} ${e.link} ${e.title}`).sort(),
      stories: [...groups.values()].map((g) => g.sort().join(' | ')).sort(),
    };
  } finally {
    await store.close();
  }
}

/** The database's own view of the invariants: what waits, what has no story, and every kind of duplicate. */
async function invariants(sql: postgres.Sql) {
  const [counts] = await sql<{ entries: number; sources: number; pending: number; storyless: number; stories: number; used: number }[]>`
    SELECT (SELECT count(*)::int FROM entries) AS entries,
           (SELECT count(DISTINCT source_id)::int FROM entries) AS sources,
           (SELECT count(*)::int FROM entries WHERE pending_seq IS NOT NULL) AS pending,
           (SELECT count(*)::int FROM entries WHERE story_id IS NULL) AS storyless,
           (SELECT count(*)::int FROM stories) AS stories,
           (SELECT count(DISTINCT story_id)::int FROM entries) AS used`;
  const duplicateEntries = await sql`SELECT source_id, link FROM entries GROUP BY source_id, link HAVING count(*) > 1`;
  const urlsInTwoStories = await sql`SELECT canonical_url FROM entries WHERE canonical_url IS NOT NULL GROUP BY canonical_url HAVING count(DISTINCT story_id) > 1`;
  const headlinesInTwoStories = await sql`SELECT title FROM entries GROUP BY title HAVING count(DISTINCT story_id) > 1`;
  return {
    ...counts,
    duplicateEntries: duplicateEntries.length,
    urlsInTwoStories: urlsInTwoStories.length,
    headlinesInTwoStories: headlinesInTwoStories.length,
  };
}

/** The holder of the clustering leadership and its expiry, or undefined. */
async function leaderLease(sql: postgres.Sql): Promise<{ holder: string; expires_at: string; acquired_at: string } | undefined> {
  const [row] = await sql<{ holder: string; expires_at: string; acquired_at: string }[]>`SELECT holder, expires_at::text, acquired_at::text FROM leases WHERE name = 'clustering'`;
  return row;
}

const clean = {
  pending: 0,
  storyless: 0,
  duplicateEntries: 0,
  urlsInTwoStories: 0,
  headlinesInTwoStories: 0,
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-scale-'));
  const routes: Record<string, RouteHandler> = Object.fromEntries(ids.map((id, i) => [`/${id}.xml`, feedRoute(i)]));
  routes['/added.xml'] = (_req, res) => void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('Added', [item('added', 'added', ADDED, 0.2, false)]));
  server = await startFixtureServer(routes);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  release();
  lateNews = false;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(PG_SKIP_REASON !== null)(`scaling out on PostgreSQL${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  const databases: TestDatabase[] = [];
  const clients: postgres.Sql[] = [];
  // The single node's result on the same feeds: one `storywire poll` into a SQLite file.
  let reference: { entries: string[]; stories: string[] };

  /** A new database of its own, and a client on it. */
  async function database(): Promise<{ url: string; sql: postgres.Sql }> {
    const db = await createTestDatabase();
    databases.push(db);
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    clients.push(sql);
    return { url: db.url, sql };
  }

  beforeAll(async () => {
    const file = path.join(dir, 'single-node.db');
    const r = await runCli(['poll', '--config', configFile('single-node.json'), '--db', file]);
    expect(r.code).toBe(0);
    reference = await contents(file);
    // The feeds group as designed: thirty stories of four entries each.
    expect(reference.entries).toHaveLength(ENTRIES);
    expect(reference.stories).toHaveLength(30);
    expect(reference.stories.every((s) => s.split(' | ').length === 4)).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await Promise.all(databases.map((d) => d.drop()));
  });

  describe('three workers and two web servers', { timeout: 120_000 }, () => {
    // The cluster of the first test, kept for the second (afterEach would kill it): killed in this describe's afterAll.
    let cluster: { url: string; sql: postgres.Sql; config: string; webs: string[]; procs: Proc[] } | undefined;
    afterAll(async () => {
      await Promise.all((cluster?.procs ?? []).map((p) => p.stop('SIGKILL')));
    });

    it('fetch each of 60 sources exactly once in a pass, and store the entries and stories of a single node', async () => {
      const { url, sql } = await database();
      const config = configFile('cluster.json', { lease: '10s' });
      const mark = server.requests.length;
      // Every fetch waits until more requests are in flight than one worker may send (--concurrency 4): the work is shared.
      hold(() => true);
      const [webs, workers] = await Promise.all([
        Promise.all(['web1', 'web2'].map((node) => startWeb(url, config, node))),
        Promise.all(['w1', 'w2', 'w3'].map((node) => startWorker(url, config, node, { concurrency: 4 }))),
      ]);
      // Kept for the next test: this describe's afterAll kills them instead of afterEach.
      cluster = { url, sql, config, webs: webs.map((w) => w.url), procs: running.splice(0) };
      await eventually('every worker to fetch as many sources at once as its concurrency allows', () => held.length === 3 * 4);
      release();
      await eventually('every entry stored with its story', async () => {
        const s = await invariants(sql);
        return s.entries === ENTRIES && s.pending === 0 && s.storyless === 0 ? s : false;
      });
      // A pass more of every worker's loop: nothing is due again within the interval, so nothing is fetched again.
      await new Promise((r) => setTimeout(r, 3000));
      const fetches = fetchesSince(mark);
      expect([...fetches.keys()].sort()).toEqual(ids.map((id) => `/${id}.xml`));
      expect([...fetches.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      // No worker fetched more sources at once than its concurrency.
      expect(maxInFlight).toBeLessThanOrEqual(3 * 4);
      expect(await invariants(sql)).toMatchObject({ ...clean, entries: ENTRIES, sources: FEEDS, stories: 30, used: 30 });
      expect(await contents(url)).toEqual(reference);
      for (const web of webs) expect(await healthz(web.url)).toMatchObject({ status: 'ok', role: 'web', engine: 'postgres', leader: false, leases: 0 });
      expect(workers.filter((w) => w.exited())).toEqual([]);
    });

    it('serve the same /feeds/all.atom (body and ETag) on both web servers soon after new entries arrive', async () => {
      expect(cluster).toBeDefined();
      const { url, sql, config, webs } = cluster!;
      const atom = async (base: string) => {
        const res = await fetch(`${base}/feeds/all.atom`);
        expect(res.status).toBe(200);
        return { etag: res.headers.get('etag'), body: await res.text() };
      };
      const same = async () => {
        const [a, b] = await Promise.all(webs.map(atom));
        return a.etag === b.etag && a.body === b.body ? a : false;
      };
      const before = await eventually('both web servers to serve the same feed', same, 10_000);
      expect(before.body).toContain(EVENTS[0][0]);
      expect(before.body).not.toContain(LATE[0]);
      // The feeds change; an operator runs a pass at once rather than waiting for the interval.
      lateNews = true;
      expect((await runCli(['poll', '--config', config, '--db', url], { STORYWIRE_NODE_NAME: 'poll' })).code).toBe(0);
      await eventually('the late news to get its story', async () => {
        const [row] = await sql<{ n: number }[]>`SELECT count(DISTINCT story_id)::int AS n FROM entries WHERE title = ${LATE[0]} AND story_id IS NOT NULL`;
        return row.n === 1;
      });
      const after = await eventually('both web servers to serve the late news in the same feed', async () => {
        const feed = await same();
        return feed && feed.body.includes(LATE[0]) ? feed : false;
      }, 10_000);
      expect(after.etag).not.toBe(before.etag);
      expect(await invariants(sql)).toMatchObject({ ...clean, entries: ENTRIES + LATE_OUTLETS.length, stories: 31 });
    });
  });

  it('a worker killed with -9 in the middle of a pass: its sources are fetched once its leases expire, nothing lost or doubled', { timeout: 120_000 }, async () => {
    const { url, sql } = await database();
    const config = configFile('killed-worker.json', { lease: '2s' });
    const mark = server.requests.length;
    // Six feeds answer only once released: the first worker is killed while fetching them, the others stored.
    const slow = ids.slice(10, 16);
    hold((id) => slow.includes(id));
    const doomed = await startWorker(url, config, 'doomed', { concurrency: 8 });
    // Then the dying worker leases exactly what it is fetching (a source's lease is given back just after its commit).
    const leased = await eventually('the other sources stored and the slow ones in flight', async () => {
      const [row] = await sql<{ n: number }[]>`SELECT count(DISTINCT source_id)::int AS n FROM entries`;
      const rows = await sql<{ id: string; lease_holder: string }[]>`SELECT id, lease_holder FROM sources WHERE lease_until > ${Date.now()} ORDER BY id`;
      return row.n === FEEDS - slow.length && held.length === slow.length && rows.length === slow.length ? rows : false;
    });
    expect(leased.map((r) => r.id)).toEqual(slow);
    expect(leased.every((r) => r.lease_holder.startsWith('doomed:'))).toBe(true);
    // A worker of another machine, running beside it: it cannot know the first is dead, so it waits for the leases to expire.
    const heir = await startWorker(url, config, 'heir', { concurrency: 8 });
    expect(await doomed.stop('SIGKILL')).toBe(null);
    const [expiry] = await sql<{ until: string }[]>`SELECT max(lease_until)::text AS until FROM sources WHERE lease_holder LIKE 'doomed:%'`;
    const killed = arrivals.length;
    release();
    await eventually('every source stored with stories', async () => {
      const s = await invariants(sql);
      return s.sources === FEEDS && s.entries === ENTRIES && s.pending === 0 && s.storyless === 0;
    });
    expect(await heir.stop('SIGTERM')).toBe(0);
    const fetches = fetchesSince(mark);
    for (const id of ids) expect([id, fetches.get(`/${id}.xml`)]).toEqual([id, slow.includes(id) ? 2 : 1]);
    // The heir took the dead worker's sources only once their leases had run out.
    const refetched = arrivals.slice(killed);
    expect(refetched.map((a) => a.id).sort()).toEqual(slow);
    expect(refetched.filter((a) => a.at < Number(expiry.until))).toEqual([]);
    expect(await invariants(sql)).toMatchObject({ ...clean, entries: ENTRIES, sources: FEEDS, stories: 30, used: 30 });
    expect(await contents(url)).toEqual(reference);
    // The worker that stopped released what it held; the dead one's leases are long gone.
    expect(await sql`SELECT id FROM sources WHERE lease_holder IS NOT NULL AND lease_until > ${Date.now()}`).toEqual([]);
  });

  it('the clustering leader frozen then killed with -9 while entries wait: another takes over, every entry gets one story', { timeout: 120_000 }, async () => {
    const { url, sql } = await database();
    const config = configFile('killed-leader.json', { lease: '10s' });
    // No feed answers yet: nothing is stored before the leader is frozen.
    hold(() => true);
    const leader = await startWorker(url, config, 'leader', { concurrency: 1, metrics: true });
    await eventually('the first worker to lead the clustering', async () => (await healthz(leader.base)).leader);
    const others = await Promise.all(['w1', 'w2'].map((node) => startWorker(url, config, node, { metrics: true })));
    for (const w of others) expect(await healthz(w.base)).toMatchObject({ status: 'ok', role: 'worker', engine: 'postgres', leader: false });
    // Frozen, the leader keeps its leadership until the lease expires but assigns nothing; the others store entries.
    leader.signal('SIGSTOP');
    release();
    // Entries wait while the lease (10 s from its last renewal) still names the frozen leader.
    const waiting = await eventually('entries waiting for the frozen leader', async () => {
      const [row] = await sql<{ pending: number; storyless: number; holder: string }[]>`
        SELECT (SELECT count(*)::int FROM entries WHERE pending_seq IS NOT NULL) AS pending,
               (SELECT count(*)::int FROM entries WHERE story_id IS NULL) AS storyless,
               (SELECT holder FROM leases WHERE name = 'clustering') AS holder`;
      return row.pending > 0 ? row : false;
    });
    expect(waiting.holder).toMatch(/^leader:/);
    expect(waiting.storyless).toBe(waiting.pending);
    expect((await healthz(others[0].base)).backlog).toBeGreaterThan(0);
    expect(await leader.stop('SIGKILL')).toBe(null);
    const frozen = (await leaderLease(sql))!;
    expect(frozen.holder).toMatch(/^leader:/);
    const successor = await eventually('another worker to lead', async () => {
      const h = await Promise.all(others.map((w) => healthz(w.base)));
      return h.find((x) => x.leader);
    }, 30_000);
    // The successor took over once the frozen leader's lease had run out, not before.
    const taken = (await leaderLease(sql))!;
    expect(taken.holder).toBe(successor.node);
    expect(Number(taken.acquired_at)).toBeGreaterThanOrEqual(Number(frozen.expires_at));
    await eventually('every entry assigned', async () => {
      const s = await invariants(sql);
      return s.entries === ENTRIES && s.pending === 0 && s.storyless === 0;
    }, 30_000);
    expect(await invariants(sql)).toMatchObject({ ...clean, entries: ENTRIES, sources: FEEDS, stories: 30, used: 30 });
    expect(await contents(url)).toEqual(reference);
    const health = await Promise.all(others.map((w) => healthz(w.base)));
    expect(health.filter((h) => h.leader)).toHaveLength(1);
    expect(health.map((h) => h.backlog)).toEqual([0, 0]);
    for (const w of others) expect(await w.stop('SIGTERM')).toBe(0);
  });

  describe('configuration', { timeout: 120_000 }, () => {
    it('a worker with an invalid config refuses to start (exit 2, the error) before touching the database', async () => {
      const { url, sql } = await database();
      const bad = path.join(dir, 'bad-lease.json');
      fs.writeFileSync(bad, JSON.stringify({ settings: { lease: '1s' }, sources: [{ id: 'x', url: 'ftp://x.example/feed' }] }));
      const r = await runCli(['worker', '--config', bad, '--db', url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('$.sources[0].url: must be an http(s) URL');
      expect(r.stderr).toMatch(/\$\.settings\.lease: /);
      expect(r.stdout).not.toMatch(/polling/);
      expect(await sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`).toEqual([]);
    });

    it('a reload in one process (broken in one, a new source in another) breaks none of the others', async () => {
      const { url, sql } = await database();
      const count = 12;
      const files = ['reload-1.json', 'reload-2.json', 'reload-3.json'].map((name) => configFile(name, { lease: '2s', count }));
      const logs = { LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
      const [w1, w2, web] = await Promise.all([
        startWorker(url, files[0], 'r1', { env: logs }),
        startWorker(url, files[1], 'r2', { env: logs, metrics: true }),
        startWeb(url, files[2], 'rweb'),
      ]);
      await eventually('the first pass stored', async () => {
        const s = await invariants(sql);
        return s.sources === count && s.pending === 0 && s.storyless === 0;
      });
      const mark = server.requests.length;
      // A broken file in one worker: it says so and keeps its running config.
      fs.writeFileSync(files[1], '{ "sources": [');
      w2.signal('SIGHUP');
      await eventually('the second worker to refuse the reload', () => w2.output().includes('config.reload_refused'));
      // A new source in another: it is stored, fetched once, grouped; the others are not disturbed by a source they do not list.
      configFile('reload-1.json', { lease: '2s', count, more: [{ id: 'added', url: server.url('/added.xml') }] });
      w1.signal('SIGHUP');
      await eventually('the new source stored with its story', async () => {
        const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM entries WHERE source_id = 'added' AND story_id IS NOT NULL`;
        return row.n === 1;
      });
      await new Promise((r) => setTimeout(r, 3000));
      expect(fetchesSince(mark)).toEqual(new Map([['/added.xml', 1]]));
      expect(await sql`SELECT id FROM sources WHERE id = 'added'`).toHaveLength(1);
      expect(await healthz(w2.base)).toMatchObject({ status: 'ok', role: 'worker', sources: count });
      expect(await healthz(web.url)).toMatchObject({ status: 'ok', role: 'web' });
      expect((await fetch(`${web.url}/feeds/all.atom`)).status).toBe(200);
      expect(await invariants(sql)).toMatchObject({ ...clean, entries: count * 2 + 1 });
      for (const proc of [w1, w2, web.proc]) expect(await proc.stop('SIGTERM')).toBe(0);
    });
  });
});

describe('SQLite: one poller per database file', { timeout: 120_000 }, () => {
  it('a worker runs beside serve --no-poll; a second worker or a poll on the same file is refused', async () => {
    const file = path.join(dir, 'one-poller.db');
    const count = 12;
    const config = configFile('sqlite.json', { count });
    const web = await startWeb(file, config, 'web');
    const worker = await startWorker(file, config, 'worker');
    await eventually('the web server to show what the worker stored', async () => {
      const res = await fetch(`${web.url}/api/entries?limit=100`);
      const body = (await res.json()) as { entries: unknown[] };
      return body.entries.length === count * 2;
    });
    expect(await healthz(web.url)).toMatchObject({ status: 'ok', role: 'web', engine: 'sqlite' });
    const refused = await Promise.all([['worker'], ['poll']].map((args) => runCli([...args, '--config', config, '--db', file])));
    for (const r of refused) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('already polls this database');
    }
    expect(worker.exited()).toBe(false);
    expect(await worker.stop('SIGTERM')).toBe(0);
    // The file is free again once its poller stopped.
    const next = await startWorker(file, config, 'next');
    expect(await next.stop('SIGTERM')).toBe(0);
    expect(await web.proc.stop('SIGTERM')).toBe(0);
  });
});
