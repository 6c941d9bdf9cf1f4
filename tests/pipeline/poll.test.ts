import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { eachEngine } from '../helpers/engines.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { rss } from '../helpers/feeds.ts';

const NOW = Date.UTC(2026, 4, 20, 14);
let server: FixtureServer;
let clock = NOW;

function configFor(sources: Record<string, string>, settings: object = {}): Config {
  return parseConfig(
    JSON.stringify({ settings: { timeout: '2s', ...settings }, sources: Object.entries(sources).map(([id, path]) => ({ id, url: server.url(path) })) }),
    'feeds.json',
  );
}

const itemA = { title: 'Parliament approves new budget', link: 'https://a.example/budget', guid: 'a-1', description: 'The vote passed late on Tuesday.' };
const itemB = { title: 'Storm closes northern ports', link: 'https://a.example/storm', guid: 'a-2', description: 'Shipping halted for two days.' };

eachEngine('polling', (ctx) => {
  let runtime: Runtime;
  async function open(config: Config) {
    runtime = await openRuntime(config, await ctx.fresh(), silentLogger(), () => clock);
    return runtime;
  }

  beforeEach(async () => {
    clock = NOW;
    server = await startFixtureServer();
  });
  afterEach(async () => {
    await runtime?.close();
    await server.close();
  });

  describe('pollOnce', () => {
    it('stores entries, then sends the ETag back and treats 304 as no change', async () => {
      const body = rss('A', [itemA, itemB]);
      server.route('/a.xml', (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { ETag: '"v1"' }).end();
        res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: '"v1"' }).end(body);
      });
      await open(configFor({ a: '/a.xml' }));
      const first = await runtime.poll();
      expect(first.outcomes[0]).toMatchObject({ status: 'ok', newEntries: 2 });
      const second = await runtime.poll();
      expect(second.outcomes[0]).toMatchObject({ status: 'not-modified', newEntries: 0, httpStatus: 304 });
      expect(server.requestsTo('/a.xml')[1].headers['if-none-match']).toBe('"v1"');
      expect((await runtime.store.listEntries({ limit: 10 }))).toHaveLength(2);
    });

    it('keeps each poll in the source history: what it stored, and a failing source\'s errors with their HTTP status', async () => {
      server.route('/a.xml', { body: rss('A', [itemA, itemB]) });
      server.route('/b.xml', { status: 503, body: 'Service Unavailable' });
      await open(configFor({ a: '/a.xml', b: '/b.xml' }));
      await runtime.poll();
      clock += 60_000;
      // a: the same bytes again (nothing parsed); b: now answers, but not with a feed.
      server.route('/b.xml', { body: '<html><body>Maintenance</body></html>', headers: { 'Content-Type': 'text/html' } });
      await runtime.poll();
      clock += 60_000;
      server.route('/a.xml', { body: rss('A', [itemA, itemB, { ...itemA, guid: 'a-3', link: 'https://a.example/three', title: 'Third report' }]) });
      server.route('/b.xml', { status: 500, body: 'oops' });
      await runtime.poll();
      const history = await runtime.store.fetchHistory();
      expect(history.get('a')!.map((r) => [r.fetchedAt, r.outcome, r.httpStatus, r.newEntries])).toEqual([
        [NOW, 'ok', 200, 2],
        [NOW + 60_000, 'not_modified', 200, 0],
        [NOW + 120_000, 'ok', 200, 1],
      ]);
      expect(history.get('b')!.map((r) => [r.outcome, r.errorKind, r.httpStatus])).toEqual([
        ['error', 'http-error', 503],
        ['error', 'parse', 200],
        ['error', 'http-error', 500],
      ]);
      expect(history.get('b')!.every((r) => r.durationMs !== null && r.durationMs >= 0)).toBe(true);
    });

    it('sends Last-Modified back exactly as received', async () => {
      const lm = 'Wed, 20 May 2026 10:00:00 GMT';
      server.route('/a.xml', { headers: { 'Last-Modified': lm }, body: rss('A', [itemA]) });
      await open(configFor({ a: '/a.xml' }));
      await runtime.poll();
      await runtime.poll();
      expect(server.requestsTo('/a.xml')[1].headers['if-modified-since']).toBe(lm);
    });

    it('skips parsing when a server ignoring validators sends the same bytes', async () => {
      server.route('/a.xml', { body: rss('A', [itemA]) });
      await open(configFor({ a: '/a.xml' }));
      await runtime.poll();
      expect((await runtime.poll()).outcomes[0].status).toBe('unchanged');
    });

    it('updates an edited item in place instead of duplicating it', async () => {
      server.route('/a.xml', { body: rss('A', [itemA]) });
      await open(configFor({ a: '/a.xml' }));
      await runtime.poll();
      server.route('/a.xml', { body: rss('A', [{ ...itemA, title: 'Parliament approves new budget after all-night session' }]) });
      clock += 60_000;
      const second = await runtime.poll();
      expect(second.outcomes[0]).toMatchObject({ newEntries: 0, updatedEntries: 1 });
      const rows = await runtime.store.listEntries({ limit: 10 });
      expect(rows.map((r) => r.title)).toEqual(['Parliament approves new budget after all-night session']);
      expect(rows[0].firstSeenAt).toBe(NOW);
    });

    it('moves an edited entry whose new text reports another story, and keeps a lightly edited one in place', async () => {
      const storm = { title: 'Storm closes northern ports for two days', link: 'https://b.example/storm', guid: 'b-1', description: 'Shipping halted along the northern coast.' };
      const budget = { title: 'Parliament approves budget after all-night session', link: 'https://c.example/budget', guid: 'c-1', description: 'The vote passed late on Tuesday.' };
      const mine = { title: 'Storm closes northern ports', link: 'https://a.example/x', guid: 'a-x', description: 'Shipping halted along the coast for two days.' };
      server.route('/a.xml', { body: rss('A', [mine]) });
      server.route('/b.xml', { body: rss('B', [storm]) });
      server.route('/c.xml', { body: rss('C', [budget]) });
      await open(configFor({ a: '/a.xml', b: '/b.xml', c: '/c.xml' }));
      await runtime.poll();
      const storyOf = async (link: string) => (await runtime.store.listEntries({ limit: 10 })).find((e) => e.link === link)!.storyId;
      expect((await storyOf('https://a.example/x'))).toBe((await storyOf('https://b.example/storm')));
      const stormStory = (await storyOf('https://b.example/storm'));

      // A light edit (a corrected word) keeps the entry where it is.
      server.route('/a.xml', { body: rss('A', [{ ...mine, title: 'Storm closes northern ports, halts ferries' }]) });
      clock += 60_000;
      expect((await runtime.poll()).outcomes.find((o) => o.sourceId === 'a')).toMatchObject({ updatedEntries: 1 });
      expect((await storyOf('https://a.example/x'))).toBe(stormStory);

      // The outlet reused the item for another event: the entry moves to the story it now reports.
      server.route('/a.xml', { body: rss('A', [{ ...mine, title: 'Parliament approves budget after all-night vote', description: 'The budget vote passed late on Tuesday.' }]) });
      clock += 60_000;
      const pass = await runtime.poll();
      expect((await storyOf('https://a.example/x'))).toBe((await storyOf('https://c.example/budget')));
      expect((await storyOf('https://b.example/storm'))).toBe(stormStory);
      expect(pass.changedStories).toEqual(expect.arrayContaining([stormStory, (await storyOf('https://c.example/budget'))]));
      expect((await runtime.store.listStories({ limit: 10 })).find((s) => s.id === stormStory)).toMatchObject({ entriesCount: 1, sourcesCount: 1 });
    });

    it('stores sources in the order of the config, whichever fetch ends first', async () => {
      server.route('/slow.xml', (_req, res) => void setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('Slow', [itemA])), 300));
      server.route('/fast.xml', { body: rss('Fast', [itemB]) });
      await open(configFor({ slow: '/slow.xml', fast: '/fast.xml' }));
      const order: string[] = [];
      await runtime.poll({ onSource: (o) => order.push(o.sourceId) });
      expect(order).toEqual(['slow', 'fast']);
      const rows = await runtime.store.listEntries({ limit: 10 });
      expect(rows.find((r) => r.sourceId === 'slow')!.id).toBeLessThan(rows.find((r) => r.sourceId === 'fast')!.id);
    });

    it('judges an edited undated item at its stored time, so it stays with the story it reported', async () => {
      const undated = (summary: string) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>A</title><link>https://a.example/</link><description>a</description>` +
        `<item><title>Harbour reopens after storm damage repaired</title><link>https://a.example/harbour</link><guid>a-h</guid><description>${summary}</description></item></channel></rss>`;
      server.route('/a.xml', { body: undated('Ships are moving again.') });
      server.route('/b.xml', { body: rss('B', [{ title: 'Harbour reopens after storm damage repaired', link: 'https://b.example/h', guid: 'b-h', pubDate: new Date(NOW).toUTCString() }]) });
      await open(configFor({ a: '/a.xml', b: '/b.xml' }));
      await runtime.poll();
      const storyOf = async (link: string) => (await runtime.store.listEntries({ limit: 10 })).find((e) => e.link === link)!.storyId;
      expect((await storyOf('https://a.example/harbour'))).toBe((await storyOf('https://b.example/h')));
      // Ten days later the outlet corrects its summary; an undated item would be dated "now" by this poll.
      clock += 10 * 24 * 3_600_000;
      server.route('/a.xml', { body: undated('Ships are moving again after repairs.') });
      expect((await runtime.poll()).outcomes.find((o) => o.sourceId === 'a')).toMatchObject({ updatedEntries: 1 });
      expect((await storyOf('https://a.example/harbour'))).toBe((await storyOf('https://b.example/h')));
    });

    it('dates an undated item once, when first seen: later polls and edits leave it and its story where they were', async () => {
      const undated = (summary: string) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>U</title><link>https://u.example/</link><description>u</description>` +
        `<item><title>Museum returns looted bronzes to Benin</title><link>https://u.example/bronzes</link><guid>u-1</guid><description>${summary}</description></item></channel></rss>`;
      const older = { title: 'Central bank holds interest rates steady', link: 'https://d.example/rates', guid: 'd-1', pubDate: new Date(NOW - 3_600_000).toUTCString() };
      server.route('/u.xml', { body: undated('The objects were taken in 1897.') });
      server.route('/d.xml', { body: rss('D', [older]) });
      await open(configFor({ u: '/u.xml', d: '/d.xml' }));
      await runtime.poll();
      const undatedEntry = async () => (await runtime.store.listEntries({ sourceIds: ['u'], limit: 10 }))[0]!;
      const titles = async (order: 'newest' | 'top') => (order === 'top' ? await runtime.store.topStories({ limit: 10 }) : await runtime.store.listStories({ limit: 10 })).map((s) => s.title);
      expect((await undatedEntry()).publishedAt).toBe(NOW);
      const before = { newest: await titles('newest'), top: await titles('top'), story: await runtime.store.storyById((await undatedEntry()).storyId!) };

      // Six hours later the outlet republishes the same undated item, and another outlet adds a story dated in between:
      // the undated item, dated "now" by this parse, stays at the time it was first seen, below the newer story.
      clock = NOW + 6 * 3_600_000;
      const newer = { title: 'Wildfire forces evacuation of mountain towns', link: 'https://d.example/fire', guid: 'd-2', pubDate: new Date(NOW + 3_600_000).toUTCString() };
      server.route('/u.xml', { body: `${undated('The objects were taken in 1897.')}\n` });
      server.route('/d.xml', { body: rss('D', [older, newer]) });
      const second = await runtime.poll();
      expect(second.outcomes.find((o) => o.sourceId === 'u')).toMatchObject({ status: 'ok', newEntries: 0, updatedEntries: 0 });
      expect((await undatedEntry()).publishedAt).toBe(NOW);
      expect(await titles('newest')).toEqual([newer.title, ...before.newest]);
      expect(await titles('top')).toEqual([newer.title, ...before.top]);

      // A day later its summary is corrected: an update of its text, which does not move it either.
      clock = NOW + 30 * 3_600_000;
      server.route('/u.xml', { body: undated('The objects were taken from Benin City in 1897.') });
      expect((await runtime.poll()).outcomes.find((o) => o.sourceId === 'u')).toMatchObject({ updatedEntries: 1 });
      expect(await undatedEntry()).toMatchObject({ publishedAt: NOW, summary: 'The objects were taken from Benin City in 1897.' });
      expect(await titles('newest')).toEqual([newer.title, ...before.newest]);
      expect(await titles('top')).toEqual([newer.title, ...before.top]);
      expect(await runtime.store.storyById(before.story!.id)).toMatchObject({ publishedAt: NOW, topAt: before.story!.topAt });
    });

    it('records a bad source and still stores the good ones in the same pass', async () => {
      server.route('/good.xml', { body: rss('Good', [itemA]) });
      server.route('/html', { headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><html><body>Sign in</body></html>' });
      server.route('/broken.xml', { body: '<rss><channel><item><title>unclosed' });
      server.route('/gone.xml', { status: 410, body: 'gone' });
      await open(configFor({ good: '/good.xml', html: '/html', broken: '/broken.xml', gone: '/gone.xml', missing: '/missing' }));
      const pass = await runtime.poll();
      const by = Object.fromEntries(pass.outcomes.map((o) => [o.sourceId, o]));
      expect(by.good).toMatchObject({ status: 'ok', newEntries: 1 });
      expect(by.html).toMatchObject({ status: 'error', error: { kind: 'parse' } });
      expect(by.broken.status).toBe('error');
      expect(by.gone).toMatchObject({ status: 'error', httpStatus: 410, error: { kind: 'http-error' } });
      expect(by.missing).toMatchObject({ status: 'error', httpStatus: 404 });
      expect((await runtime.store.sourceState('html'))).toMatchObject({ status: 'error', consecutiveFailures: 1, lastErrorKind: 'parse' });
      expect(pass.failed).toBe(4);
    });

    it('backs off after failures, honours Retry-After, and recovers fully', async () => {
      server.route('/a.xml', { status: 429, headers: { 'Retry-After': '7200' }, body: 'slow down' });
      await open(configFor({ a: '/a.xml' }));
      await runtime.poll();
      const failed = (await runtime.store.sourceState('a'))!;
      expect(failed).toMatchObject({ status: 'error', consecutiveFailures: 1, lastHttpStatus: 429 });
      expect(failed.nextFetchAt! - NOW).toBeGreaterThanOrEqual(7200_000);
      // A scheduler pass before the retry time leaves the source alone.
      clock += 3600_000;
      expect((await runtime.poll({ dueOnly: true })).outcomes).toHaveLength(0);
      server.route('/a.xml', { status: 500, body: 'oops' });
      clock += 7200_000;
      await runtime.poll({ dueOnly: true });
      const twice = (await runtime.store.sourceState('a'))!;
      expect(twice.consecutiveFailures).toBe(2);
      server.route('/a.xml', { body: rss('A', [itemA]) });
      clock = twice.nextFetchAt!;
      await runtime.poll({ dueOnly: true });
      expect((await runtime.store.sourceState('a'))).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: null, lastSuccessAt: clock });
    });

    it('records a permanent redirect and polls the new address from then on', async () => {
      server.route('/old.xml', { status: 301, headers: { Location: '/new.xml' }, body: '' });
      server.route('/new.xml', { body: rss('A', [itemA]) });
      await open(configFor({ a: '/old.xml' }));
      const pass = await runtime.poll();
      expect(pass.outcomes[0]).toMatchObject({ status: 'ok', permanentRedirect: server.url('/new.xml') });
      expect((await runtime.store.sourceState('a'))?.permanentRedirect).toBe(server.url('/new.xml'));
      await runtime.poll();
      expect(server.requestsTo('/old.xml')).toHaveLength(1);
      expect(server.requestsTo('/new.xml')).toHaveLength(2);
    });

    it('polls only the named source', async () => {
      server.route('/a.xml', { body: rss('A', [itemA]) });
      server.route('/b.xml', { body: rss('B', [itemB]) });
      await open(configFor({ a: '/a.xml', b: '/b.xml' }));
      const pass = await runtime.poll({ sourceId: 'b' });
      expect(pass.outcomes.map((o) => o.sourceId)).toEqual(['b']);
      expect(server.requestsTo('/a.xml')).toHaveLength(0);
    });

    it('groups the same article syndicated by two sources into one story', async () => {
      const shared = { title: 'Ceasefire agreed in northern province', link: 'https://wire.example/ceasefire?utm_source=rss', description: 'Both sides agreed to halt fire.' };
      server.route('/a.xml', { body: rss('A', [{ ...shared, guid: 'a-9' }]) });
      server.route('/b.xml', { body: rss('B', [{ ...shared, link: 'https://wire.example/ceasefire', title: 'Ceasefire agreed (wire)', guid: 'b-9' }]) });
      await open(configFor({ a: '/a.xml', b: '/b.xml' }));
      await runtime.poll();
      const rows = await runtime.store.listEntries({ limit: 10 });
      expect(rows).toHaveLength(2);
      expect(rows[0].storyId).toBe(rows[1].storyId);
    });
  });

  describe('API answers cached between polls', () => {
    it('serves the cached answer until a poll changes stories, then the fresh one', async () => {
      server.route('/a.xml', { body: rss('A', [itemA]) });
      await open(configFor({ a: '/a.xml' }));
      const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime.assigner.terms(q), publisher: runtime.publisher, responseCache: runtime.responseCache });
      const titles = async () => ((await (await app.request('/api/stories')).json()) as { stories: { title: string }[] }).stories.map((s) => s.title);
      await runtime.poll();
      expect(await titles()).toEqual([itemA.title]);
      expect(runtime.responseCache.size).toBe(1);
      await runtime.poll(); // nothing changed: the cache stays
      expect(runtime.responseCache.size).toBe(1);
      server.route('/a.xml', { body: rss('A', [itemA, { ...itemB, pubDate: 'Wed, 20 May 2026 13:00:00 GMT' }]) });
      await runtime.poll();
      expect(await titles()).toEqual([itemB.title, itemA.title]);
    });
  });
});
