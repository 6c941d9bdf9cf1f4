import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import postgres from 'postgres';
import { UsageError } from '../../src/cli/args.ts';
import { reindexCommand } from '../../src/cli/reindex.ts';
import { ConfigError, parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { searchAnalyzer, syncSearchIndex } from '../../src/pipeline/search-index.ts';
import { openRuntime } from '../../src/runtime.ts';
import { loadAliases, normalizeForMatch, type AliasTable } from '../../src/stories/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../../src/store/sqlite/storage.ts';
import { openStorage, type Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';
import { rss } from '../helpers/feeds.ts';
import { startFixtureServer } from '../helpers/fixture-server.ts';

let dir: string;
let db: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-search-'));
  db = path.join(dir, 'storywire.db');
});
afterEach(async () => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

// An alias the built-in table does not know: after the change, "Zenda" and "Strelsau" are one term.
const ALIASES = { entries: { zenda: ['strelsau'] } };

function writeConfig(withAliases: boolean): string {
  if (withAliases) fs.writeFileSync(path.join(dir, 'aliases.json'), JSON.stringify(ALIASES));
  const file = path.join(dir, 'feeds.json');
  fs.writeFileSync(file, JSON.stringify({ settings: withAliases ? { aliasesFile: 'aliases.json' } : {}, sources: [{ id: 'a', url: 'https://a.example/feed.xml' }] }));
  return file;
}

function configOf(file: string): Config {
  return parseConfig(fs.readFileSync(file, 'utf8'), file);
}

/** Stores entries the way a poll does: row, search terms under `aliases`, story. */
async function storeEntries(store: Storage, aliases: AliasTable, items: { key: string; title: string; summary?: string }[]): Promise<number[]> {
  await store.syncSources([{ id: 'a', url: 'https://a.example/feed.xml', priority: 0 }]);
  const ids: number[] = [];
  for (const [i, item] of items.entries()) {
    const e = entryInput({ ...item, publishedAt: Date.UTC(2026, 4, 20, 12, i) });
    const r = await store.upsertEntry('a', e, Date.UTC(2026, 4, 20, 13));
    if (r.kind !== 'inserted') throw new Error('not inserted');
    await store.indexForSearch(r.id, normalizeForMatch(`${e.title} ${e.summary}`, aliases));
    await store.assignStory(r.id, (await store.createStory(r.id)));
    ids.push(r.id);
  }
  return ids;
}

const found = async (store: Storage, query: string, aliases: AliasTable) =>
  (await store.listEntries({ terms: normalizeForMatch(query, aliases), limit: 50 })).map((e) => e.title);

const OLD = loadAliases();
const NEW = () => loadAliases(path.join(dir, 'aliases.json'));

/** One statement in each engine's SQL (PostgreSQL's may be left out where a test runs it on SQLite only). */
interface EngineSql {
  sqlite: string;
  postgres?: string;
}

const CLEAR_INDEX: EngineSql = { sqlite: 'DELETE FROM entries_fts', postgres: 'DELETE FROM entries_search' };
// The record of the index says it was built under an older schema, as after a migration.
const OLDER_SCHEMA: EngineSql = {
  sqlite: `UPDATE store_meta SET value = json_set(value, '$.schema', 'older') WHERE key = 'search_index'`,
  postgres: `UPDATE store_meta SET value = jsonb_set(value::jsonb, '{schema}', '"older"')::text WHERE key = 'search_index'`,
};
const MATCHING_HARBOUR: EngineSql = {
  sqlite: `SELECT rowid FROM entries_fts WHERE entries_fts MATCH 'harbour' ORDER BY rowid`,
  postgres: `SELECT entry_id FROM entries_search WHERE terms @@ 'harbour'::tsquery ORDER BY entry_id`,
};

// The new table without the config file round trip.
function NEW_TABLE(): AliasTable {
  const file = path.join(dir, 'aliases.json');
  fs.writeFileSync(file, JSON.stringify(ALIASES));
  return loadAliases(file);
}

eachEngine('search index', (ctx) => {
  beforeEach(async () => {
    db = await ctx.fresh(db); // the file on SQLite; on PostgreSQL this describe's database, emptied
  });

  /** Runs this engine's SQL on `store`'s database, beside storywire (to read or damage the index); rows as arrays. */
  async function raw(store: Storage, query: EngineSql): Promise<unknown[][]> {
    if (ctx.engine === 'sqlite') {
      const statement = (store as SqliteStorage).sqlite.prepare(query.sqlite);
      return statement.reader ? (statement.raw().all() as unknown[][]) : (statement.run(), []);
    }
    const sql = postgres(ctx.url(), { max: 1, onnotice: () => {} });
    try {
      return await sql.unsafe(query.postgres!).values();
    } finally {
      await sql.end();
    }
  }

  describe('search index after an alias change', () => {
    it('is rebuilt when serve/poll open the database, so the new alias finds an entry stored under the old table', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [{ key: 'x', title: 'Crowds gather in Strelsau' }]);
      await syncSearchIndex(store, OLD);
      await store.close();

      const runtime = await openRuntime(configOf(writeConfig(true)), db, silentLogger());
      try {
        expect(await found(runtime.store, 'Zenda', NEW())).toEqual(['Crowds gather in Strelsau']);
        // Story search reads the same index.
        expect((await runtime.store.listStories({ terms: normalizeForMatch('Zenda', NEW()), limit: 10 })).map((s) => s.title)).toEqual(['Crowds gather in Strelsau']);
      } finally {
        await runtime.close();
      }
    });

    it('is rebuilt when a config reload changes the alias table', async () => {
      const runtime = await openRuntime(configOf(writeConfig(false)), db, silentLogger());
      try {
        await storeEntries(runtime.store, OLD, [{ key: 'x', title: 'Crowds gather in Strelsau' }]);
        expect(await found(runtime.store, 'Zenda', OLD)).toEqual([]);
        await runtime.setConfig(configOf(writeConfig(true)));
        expect(await found(runtime.store, 'Zenda', NEW())).toEqual(['Crowds gather in Strelsau']);
      } finally {
        await runtime.close();
      }
    });

    it('is rebuilt by `storywire reindex`, which prints how many entries it indexed', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [
        { key: 'x', title: 'Crowds gather in Strelsau' },
        { key: 'y', title: 'Harbour reopens after storm' },
      ]);
      await syncSearchIndex(store, OLD);
      await store.close();

      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      expect(await reindexCommand(['--config', writeConfig(true), '--db', db])).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^indexed 2 entries for search/)]);

      const after = await openStorage(db);
      try {
        expect(await found(after, 'Zenda', NEW())).toEqual(['Crowds gather in Strelsau']);
        // The index now records the new table: opening with it has nothing left to do.
        expect((await after.ensureSearchIndex(searchAnalyzer(NEW())))).toMatchObject({ reason: 'current', indexed: 0 });
      } finally {
        await after.close();
      }
    });
  });

  describe('a poll running while a reload changes the aliases', () => {
    it('leaves the entries it stored indexed under the new table', async () => {
      const server = await startFixtureServer();
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      server.route('/a.xml', async (_req, res) => {
        await gate;
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss('A', [{ title: 'Crowds gather in Strelsau', link: 'https://a.example/x', guid: 'x', description: 'Thousands came.' }]));
      });
      const config = (withAliases: boolean) => {
        if (withAliases) fs.writeFileSync(path.join(dir, 'aliases.json'), JSON.stringify(ALIASES));
        return parseConfig(JSON.stringify({ settings: withAliases ? { aliasesFile: 'aliases.json' } : {}, sources: [{ id: 'a', url: server.url('/a.xml') }] }), path.join(dir, 'feeds.json'));
      };
      const runtime = await openRuntime(config(false), db, silentLogger());
      try {
        const pass = runtime.poll();
        await vi.waitFor(() => expect(server.requestsTo('/a.xml')).toHaveLength(1));
        await runtime.setConfig(config(true));
        release();
        expect((await pass).newEntries).toBe(1);
        expect(await found(runtime.store, 'Zenda', NEW())).toEqual(['Crowds gather in Strelsau']);
      } finally {
        await runtime.close();
        await server.close();
      }
    });
  });

  describe('what reindexing writes', () => {
    it('is exactly what a poll wrote for the same entries under the same aliases', async () => {
      const server = await startFixtureServer({
        '/a.xml': { body: rss('A', [
          { title: 'Zelenskiy meets ministers in Kiev', link: 'https://a.example/1', guid: '1', description: 'Talks on the U.S. aid package continued.' },
          { title: 'Harbour reopens after storm', link: 'https://a.example/2', guid: '2', description: 'Ships are moving again.' },
        ]) },
      });
      const runtime = await openRuntime(parseConfig(JSON.stringify({ sources: [{ id: 'a', url: server.url('/a.xml') }] }), path.join(dir, 'feeds.json')), db, silentLogger());
      try {
        expect((await runtime.poll()).newEntries).toBe(2);
        const store = runtime.store;
        // Every indexed term occurrence: entry, term, position.
        if (ctx.engine === 'sqlite') await raw(store, { sqlite: 'CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, entries_fts, instance)' });
        const terms = () => raw(store, {
          sqlite: 'SELECT doc, term, offset FROM temp.terms ORDER BY doc, offset',
          postgres: 'SELECT s.entry_id, t.lexeme, p FROM entries_search s, unnest(s.terms) t, unnest(t.positions) p ORDER BY 1, 3',
        });
        const polled = await terms();
        expect(polled.length).toBeGreaterThan(8);
        expect((await store.rebuildSearchIndex(searchAnalyzer(OLD))).indexed).toBe(2);
        expect(await terms()).toEqual(polled);
      } finally {
        await runtime.close();
        await server.close();
      }
    });
  });

  describe('search index of an older database', () => {
    it('fills in entries that have no index rows when the database is opened', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [
        { key: 'x', title: 'Harbour reopens after storm' },
        { key: 'y', title: 'Parliament approves budget' },
      ]);
      await syncSearchIndex(store, OLD);
      await raw(store, CLEAR_INDEX);
      expect(await found(store, 'harbour', OLD)).toEqual([]);
      await store.close();

      const runtime = await openRuntime(configOf(writeConfig(false)), db, silentLogger());
      try {
        expect(await found(runtime.store, 'harbour', OLD)).toEqual(['Harbour reopens after storm']);
        expect(await found(runtime.store, 'budget', OLD)).toEqual(['Parliament approves budget']);
      } finally {
        await runtime.close();
      }
    });

    it('indexes everything when no index was ever recorded, and logs what it did', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [{ key: 'x', title: 'Harbour reopens after storm' }]);
      await raw(store, CLEAR_INDEX);
      const info = vi.fn();
      const report = await syncSearchIndex(store, OLD, { info } as unknown as Parameters<typeof syncSearchIndex>[2]);
      expect(report).toMatchObject({ reason: 'never-built', indexed: 1 });
      expect(info).toHaveBeenCalledWith(expect.objectContaining({ reason: 'never-built', indexed: 1 }), 'search.reindexed');
      expect(await found(store, 'harbour', OLD)).toEqual(['Harbour reopens after storm']);
      await store.close();
    });

    it('after a migration, fills in entries that have no index rows', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [
        { key: 'x', title: 'Harbour reopens after storm' },
        { key: 'y', title: 'Harbour master retires' },
      ]);
      await syncSearchIndex(store, OLD);
      await raw(store, { sqlite: 'DELETE FROM entries_fts WHERE rowid = 2', postgres: 'DELETE FROM entries_search WHERE entry_id = 2' });
      await raw(store, OLDER_SCHEMA);
      expect(await syncSearchIndex(store, OLD)).toMatchObject({ reason: 'migrated', indexed: 1, removed: 0 });
      expect(await raw(store, MATCHING_HARBOUR)).toEqual([[1], [2]]);
      await store.close();
    });
  });

  describe('reindexing', () => {
    it('is idempotent: a second run changes nothing and search answers the same', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [
        { key: 'x', title: 'Crowds gather in Strelsau' },
        { key: 'y', title: 'Zenda mayor resigns' },
        { key: 'z', title: 'Harbour reopens after storm' },
      ]);
      const analyzer = searchAnalyzer(NEW_TABLE());
      const first = await store.ensureSearchIndex(analyzer);
      expect(first).toMatchObject({ reason: 'never-built', indexed: 3 });
      const answers = async () => ({ zenda: await found(store, 'Zenda', NEW_TABLE()), harbour: await found(store, 'harbour', NEW_TABLE()) });
      const once = (await answers());
      expect([...once.zenda].sort()).toEqual(['Crowds gather in Strelsau', 'Zenda mayor resigns']);
      expect((await store.ensureSearchIndex(analyzer))).toMatchObject({ reason: 'current', indexed: 0, removed: 0 });
      expect((await answers())).toEqual(once);
      const rows = () => raw(store, { sqlite: 'SELECT id FROM entries_fts_docsize ORDER BY id', postgres: 'SELECT entry_id FROM entries_search ORDER BY entry_id' });
      const before = await rows();
      expect((await store.rebuildSearchIndex(analyzer))).toMatchObject({ indexed: 3, removed: 0 });
      expect(await rows()).toEqual(before);
      expect((await answers())).toEqual(once);
      await store.close();
    });

    it('is repeatable with `storywire reindex`: the same count and the same answers each time', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [{ key: 'x', title: 'Crowds gather in Strelsau' }]);
      await store.close();
      const config = writeConfig(true);
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      expect(await reindexCommand(['--config', config, '--db', db])).toBe(0);
      expect(await reindexCommand(['--config', config, '--db', db])).toBe(0);
      expect(log.mock.calls.map((c) => String(c[0]).replace(/ in .*/, ''))).toEqual(['indexed 1 entries for search', 'indexed 1 entries for search']);
      const after = await openStorage(db);
      expect(await found(after, 'Zenda', NEW())).toEqual(['Crowds gather in Strelsau']);
      expect(await raw(after, { sqlite: 'SELECT COUNT(*) FROM entries_fts_docsize', postgres: 'SELECT COUNT(*)::int FROM entries_search' })).toEqual([[1]]);
      await after.close();
    });
  });

  describe('storywire recluster after an alias change', () => {
    it('brings the search index to the new table too', async () => {
      const store = await openStorage(db);
      await storeEntries(store, OLD, [{ key: 'x', title: 'Crowds gather in Strelsau' }]);
      await syncSearchIndex(store, OLD);
      await store.close();
      vi.spyOn(console, 'log').mockImplementation(() => {});
      const { reclusterCommand } = await import('../../src/cli/recluster.ts');
      expect(await reclusterCommand(['--config', writeConfig(true), '--db', db])).toBe(0);
      const after = await openStorage(db);
      expect(await found(after, 'Zenda', NEW())).toEqual(['Crowds gather in Strelsau']);
      await after.close();
    });
  });
});

// SQLite only: its FTS5 index has no foreign key, so an older database can hold rows of entries that no longer exist;
// PostgreSQL's entries_search rows are deleted with their entry (ON DELETE CASCADE).
describe('search index of an older SQLite database', () => {
  it('after a migration, drops rows of entries that no longer exist', async () => {
    const store = openSqliteStorage(db);
    await storeEntries(store, OLD, [{ key: 'x', title: 'Harbour reopens after storm' }]);
    await syncSearchIndex(store, OLD);
    await store.indexForSearch(9999, ['harbour']);
    store.sqlite.exec(`UPDATE store_meta SET value = json_set(value, '$.schema', 'older') WHERE key = 'search_index'`);
    expect(await syncSearchIndex(store, OLD)).toMatchObject({ reason: 'migrated', indexed: 0, removed: 1 });
    expect(store.sqlite.prepare(`SELECT rowid FROM entries_fts WHERE entries_fts MATCH 'harbour'`).pluck().all()).toEqual([1]);
    await store.close();
  });
});

describe('storywire reindex', () => {
  it('refuses arguments and a bad config (the command exits 2 for both)', async () => {
    await expect(reindexCommand(['--bogus'])).rejects.toBeInstanceOf(UsageError);
    await expect(reindexCommand(['extra', '--db', db])).rejects.toBeInstanceOf(UsageError);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"sources": [{"id": "Bad Id"}]}');
    await expect(reindexCommand(['--config', bad, '--db', db])).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('the analyzer fingerprint', () => {
  it('changes with the alias table and not otherwise', async () => {
    expect(searchAnalyzer(loadAliases()).fingerprint).toBe(searchAnalyzer(loadAliases()).fingerprint);
    expect(searchAnalyzer(NEW_TABLE()).fingerprint).not.toBe(searchAnalyzer(loadAliases()).fingerprint);
  });
});
