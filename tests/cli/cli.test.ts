import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.ts';
import { eachEngine } from '../helpers/engines.ts';
import { rss } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

let dir: string;
let server: FixtureServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-cli-'));
  server = await startFixtureServer({
    '/good.xml': { body: rss('Good', [{ title: 'Harbour reopens after storm', link: 'https://good.example/harbour', guid: 'g1', description: 'Ships are moving again.' }]) },
    '/down.xml': { status: 503, headers: { 'Retry-After': '120' }, body: 'maintenance' },
  });
  write('feeds.json', { sources: [{ id: 'good', url: server.url('/good.xml') }, { id: 'down', url: server.url('/down.xml') }] });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('storywire check', () => {
  it('accepts a valid file', async () => {
    const r = await runCli(['check', '--config', path.join(dir, 'feeds.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK \(2 sources/);
  });

  it('prints every problem with its JSON path and exits 2', async () => {
    const bad = write('bad.json', { sources: [{ id: 'x', url: 'ftp://x.example/' }, { id: 'x', url: 'https://y.example/', titel: 'Y' }] });
    const r = await runCli(['check', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.sources[0].url: must be an http(s) URL');
    expect(r.stderr).toContain('$.sources[1].id: duplicate source id "x"');
    expect(r.stderr).toContain('$.sources[1].titel: unknown key; did you mean "title"?');
  });

  it('reads STORYWIRE_CONFIG when --config is absent', async () => {
    const r = await runCli(['check'], { STORYWIRE_CONFIG: path.join(dir, 'missing.json') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`not found: ${path.join(dir, 'missing.json')}; create one`);
  });
});

describe('bad usage', () => {
  it('treats unknown commands and flags as bad usage', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['poll', '--bogus'])).code).toBe(2);
  });
});

// The commands that open the database, once on a SQLite file and once on PostgreSQL (--db or STORYWIRE_DB a URL).
eachEngine('storywire commands on a database', (ctx) => {
  /** An empty database: a new SQLite file in dir, or this describe's PostgreSQL database emptied. */
  const freshDb = (name: string) => ctx.fresh(path.join(dir, name));

  describe('storywire poll', () => {
    it('runs a pass, prints a line per source and exits 0 even when a source fails', async () => {
      const db = await freshDb('poll.db');
      const r = await runCli(['poll', '--config', path.join(dir, 'feeds.json'), '--db', db]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^good\s+ok\s+200\s+\+1/m);
      expect(r.stdout).toMatch(/^down\s+error\s+503\s+\+0.*http-error: fetch: HTTP 503/m);
      expect(r.stdout).toMatch(/2 sources polled .* 1 new entries, 0 updated, 1 stories changed, 1 failed/);
    });

    it('refuses an invalid config with exit 2 and an unknown source as bad usage', async () => {
      const db = await freshDb('x.db');
      expect((await runCli(['poll', '--config', write('broken.json', '{"sources": 3}'), '--db', db])).code).toBe(2);
      const r = await runCli(['poll', '--config', path.join(dir, 'feeds.json'), '--db', db, '--source', 'nope']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown source "nope"/);
    }, 60_000);
  });

  describe('storywire serve', () => {
    it('migrates, serves the API and stops cleanly on SIGTERM (database from STORYWIRE_DB)', async () => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const db = await freshDb('serve.db');
      const proc = startCli(['serve', '--config', path.join(dir, 'feeds.json'), '--port', String(port), '--host', '127.0.0.1', '--no-poll'], { STORYWIRE_DB: db });
      let health: Response | null = null;
      for (let i = 0; i < 100 && !health; i++) {
        await new Promise((r) => setTimeout(r, 100));
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      }
      expect(health?.status).toBe(200);
      const sources = (await (await fetch(`http://127.0.0.1:${port}/api/sources`)).json()) as { sources: { id: string }[] };
      expect(sources.sources.map((s) => s.id)).toEqual(['good', 'down']);
      expect(await proc.stop('SIGTERM')).toBe(0);
    }, 60_000);
  });

  describe('storywire recluster and reindex', () => {
    it('rebuild the stories and the search index from the entries a poll stored', async () => {
      const db = await freshDb('rebuild.db');
      const config = path.join(dir, 'feeds.json');
      expect((await runCli(['poll', '--config', config, '--db', db])).code).toBe(0);
      const recluster = await runCli(['recluster', '--config', config, '--db', db]);
      expect(recluster.code).toBe(0);
      expect(recluster.stdout).toMatch(/^reclustered 1 entries into 1 stories: 1 ids kept, 0 created, 0 deleted, 0 entries moved$/m);
      const reindex = await runCli(['reindex', '--config', config, '--db', db]);
      expect(reindex.code).toBe(0);
      expect(reindex.stdout).toMatch(/^indexed 1 entries for search in [\d.]+s$/m);
    }, 60_000);
  });
});

describe('storywire check (service rules)', () => {
  it('reports feed terms that can never match and a missing alias file, with their paths', async () => {
    const bad = write('terms.json', {
      settings: { aliasesFile: 'no-such-aliases.json' },
      sources: [{ id: 'a', url: 'https://a.example/feed' }],
      feeds: [{ slug: 'f', title: 'F', include: ['Ukraine', 'the'] }],
    });
    const r = await runCli(['check', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\.settings\.aliasesFile: cannot use alias file/);
    expect(r.stderr).toMatch(/\$\.feeds\[0\]\.include\[1\]: /);
  });
});

describe('storywire import-opml / export-opml', () => {
  const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>My reader</title></head><body>
    <outline text="World news"><outline type="rss" text="Le Monde International" xmlUrl="https://lemonde.example/international/rss"/></outline>
    <outline type="rss" text="Already here" xmlUrl="https://a.example/feed"/>
    <outline type="rss" text="Not http" xmlUrl="ftp://files.example/feed"/>
  </body></opml>`;

  it('shows what it would add with --dry-run and leaves feeds.json alone', async () => {
    const config = write('import-dry.json', { sources: [{ id: 'a', url: 'https://a.example/feed' }] });
    const before = fs.readFileSync(config, 'utf8');
    const r = await runCli(['import-opml', write('reader.opml', opml), '--config', config, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would add le-monde-international  https://lemonde.example/international/rss');
    expect(r.stdout).toContain('1 new source, 2 skipped');
    expect(fs.readFileSync(config, 'utf8')).toBe(before);
  });

  it('adds new sources to feeds.json, which stays valid, readable and exportable', async () => {
    const config = write('import.json', { sources: [{ id: 'a', url: 'https://a.example/feed' }] });
    expect((await runCli(['import-opml', write('reader2.opml', opml), '--config', config])).code).toBe(0);
    const text = fs.readFileSync(config, 'utf8');
    expect(text).toContain('{ "id": "le-monde-international", "title": "Le Monde International", "url": "https://lemonde.example/international/rss", "tags": ["world-news"] }');
    expect((await runCli(['check', '--config', config])).code).toBe(0);
    const exported = await runCli(['export-opml', '--config', config]);
    expect(exported.stdout).toContain('xmlUrl="https://lemonde.example/international/rss"');
  });

  it('names an unreadable or broken OPML file as bad usage', async () => {
    const config = write('import3.json', { sources: [{ id: 'a', url: 'https://a.example/feed' }] });
    const r = await runCli(['import-opml', write('broken.opml', '<opml><body>'), '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/opml: not valid XML/);
  });
});
