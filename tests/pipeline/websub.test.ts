import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { eachEngine } from '../helpers/engines.ts';
import { rss } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

let server: FixtureServer;
let runtime: Runtime;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-websub-'));
let opened = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let config: Config;
const pings: URLSearchParams[] = [];

eachEngine('WebSub pings after polls', (ctx) => {
  beforeEach(async () => {
    pings.length = 0;
    server = await startFixtureServer({
      '/hub': (req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          pings.push(new URLSearchParams(body));
          res.writeHead(204).end();
        });
      },
      '/a.xml': { body: rss('A', [{ title: 'Dam bursts after heavy rain', link: 'https://a.example/dam', guid: 'a1', description: 'Villages evacuated.' }]) },
    });
    config = parseConfig(
      JSON.stringify({ settings: { publicUrl: 'https://news.example', websubHub: server.url('/hub') }, sources: [{ id: 'a', url: server.url('/a.xml') }] }),
      'feeds.json',
    );
    // A file on SQLite: one test opens a second runtime (a web server) on the same database.
    runtime = await openRuntime(config, await ctx.fresh(path.join(dir, `websub-${++opened}.db`)), silentLogger());
  });
  afterEach(async () => {
    await runtime.close();
    await server.close();
  });

  describe('WebSub', () => {
    it('advertises the hub and pings it for every feed a poll changed, but not after a poll that changed nothing', async () => {
      const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime.assigner.terms(q), publisher: runtime.publisher });
      const atom = await (await app.request('/feeds/all.atom')).text();
      expect(atom).toContain(`rel="hub" href="${server.url('/hub')}"`);
      expect(atom).toMatch(/<link rel="self"[^>]* href="https:\/\/news\.example\/feeds\/all\.atom"/);
      await runtime.poll();
      expect(pings.map((p) => [p.get('hub.mode'), p.get('hub.url')]).sort()).toEqual([
        ['publish', 'https://news.example/feeds/all.atom'],
        ['publish', 'https://news.example/feeds/all.json'],
        ['publish', 'https://news.example/feeds/all.rss'],
      ]);
      await runtime.poll();
      expect(pings).toHaveLength(3);
    });
  });

  describe('a config reload right after a poll', () => {
    it('lets the pass end, and the feeds the poll changed are still pinged', async () => {
      const invalidate = runtime.publisher.invalidate.bind(runtime.publisher);
      // The reload lands after the pass asked for a re-render and before that re-render ran.
      vi.spyOn(runtime.publisher, 'invalidate').mockImplementationOnce(async (options) => {
        const pending = invalidate(options);
        await runtime.setConfig(config);
        return pending;
      });
      const summary = await runtime.poll();
      expect(summary.changedStories).toHaveLength(1);
      expect(pings.map((p) => p.get('hub.url')).sort()).toEqual(['https://news.example/feeds/all.atom', 'https://news.example/feeds/all.json', 'https://news.example/feeds/all.rss']);
      // Polling goes on: the next pass runs and ends too.
      await expect(runtime.poll()).resolves.toMatchObject({ changedStories: [] });
    });
  });

  describe('with a web server in another runtime', () => {
    it('pings once per changed feed (the process that changed stories), while the web server re-renders the same body', async () => {
      const web = await openRuntime(config, ctx.engine === 'postgres' ? ctx.url() : path.join(dir, `websub-${opened}.db`), silentLogger());
      const watch = await web.watchChanges(() => {});
      try {
        const before = (await web.publisher.get('all', 'atom', 'https://news.example'))!.etag;
        await runtime.poll();
        const polled = (await runtime.publisher.get('all', 'atom', 'https://news.example'))!.etag;
        expect(polled).not.toBe(before);
        // The web server learns of the change from the database (NOTIFY, or its periodic check) and serves the same feed.
        let served = before;
        for (let i = 0; i < 100 && served !== polled; i++) {
          await new Promise((r) => setTimeout(r, 100));
          served = (await web.publisher.get('all', 'atom', 'https://news.example'))!.etag;
        }
        expect(served).toBe(polled);
        expect(pings.map((p) => p.get('hub.url')).sort()).toEqual(['https://news.example/feeds/all.atom', 'https://news.example/feeds/all.json', 'https://news.example/feeds/all.rss']);
      } finally {
        await watch.stop();
        await web.close();
      }
    });
  });
});
