// A database that refuses writes while polling (disk full, read-only): the pass goes on, the message says what is
// wrong, and the source backs off instead of being polled again at every scheduler tick.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { parseConfig, type Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import type { SqliteStorage } from '../../src/store/sqlite/storage.ts';
import { eachEngine, type EngineContext } from '../helpers/engines.ts';
import { rss } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const NOW = Date.UTC(2026, 4, 20, 14);
let server: FixtureServer;
let runtime: Runtime;
let clock = NOW;

const items = Array.from({ length: 40 }, (_, i) => ({ title: `Harbour story number ${i} with a long headline`, link: `https://a.example/${i}`, guid: `a-${i}`, description: 'x'.repeat(2000) }));

function config(): Config {
  return parseConfig(JSON.stringify({ settings: { timeout: '2s', interval: '10m' }, sources: [{ id: 'a', url: server.url('/a.xml') }] }), 'feeds.json');
}

/** Makes every write of `rt` fail (or succeed again): SQLite turns query-only, PostgreSQL revokes the user's write privileges. */
async function refuseWrites(ctx: EngineContext, rt: Runtime, refuse: boolean): Promise<void> {
  if (ctx.engine === 'sqlite') return void (rt.store as SqliteStorage).sqlite.pragma(`query_only = ${refuse ? 'ON' : 'OFF'}`);
  const sql = postgres(ctx.url(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`${refuse ? 'REVOKE' : 'GRANT'} INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public ${refuse ? 'FROM' : 'TO'} CURRENT_USER`);
  } finally {
    await sql.end();
  }
}

/** The start of the message a pass gives when every write is refused. */
const REFUSED = { sqlite: /^database became read-only/, postgres: /^database \S+: permission denied \(42501\)/ };

beforeEach(async () => {
  clock = NOW;
  server = await startFixtureServer({ '/a.xml': { body: rss('A', items) } });
});
afterEach(async () => {
  await runtime?.close();
  await server.close();
});

// SQLite only: it caps the file's size to run out of space mid-pass; a PostgreSQL server's disk cannot be filled from a test.
describe('a database whose disk fills up during a pass [sqlite]', () => {
  it('says the disk is full, records the failure and backs the source off', async () => {
    runtime = await openRuntime(config(), ':memory:', silentLogger(), () => clock);
    // Forbid the database to grow: storing 40 entries needs new pages, so SQLite answers SQLITE_FULL.
    const pages = (runtime.store as SqliteStorage).sqlite.pragma('page_count', { simple: true }) as number;
    (runtime.store as SqliteStorage).sqlite.pragma(`max_page_count = ${pages}`);
    const pass = await runtime.poll({ dueOnly: true });
    const outcome = pass.outcomes[0];
    expect(outcome.status).toBe('error');
    expect(outcome.error).toEqual({ kind: 'database', message: expect.stringMatching(/^database is full: the disk has no space left/) });
    expect(outcome.error!.message).not.toMatch(/internal/);
    // The failure row fits in the existing pages, so it is recorded with a next poll in the future.
    const state = (await runtime.store.sourceState('a'))!;
    expect(state.lastErrorKind).toBe('database');
    expect(state.nextFetchAt).toBeGreaterThan(NOW);
    clock = NOW + 5_000;
    expect((await runtime.poll({ dueOnly: true })).outcomes).toEqual([]);
    expect(server.requestsTo('/a.xml')).toHaveLength(1);
  });
});

eachEngine('a database that refuses every write during a pass', (ctx) => {
  beforeEach(async () => {
    runtime = await openRuntime(config(), await ctx.fresh(), silentLogger(), () => clock);
  });

  it('backs off in memory when even the failure cannot be written, and polls again once the backoff has passed', async () => {
    await refuseWrites(ctx, runtime, true);
    const first = await runtime.poll({ dueOnly: true });
    expect(first.outcomes[0].error).toEqual({ kind: 'database', message: expect.stringMatching(REFUSED[ctx.engine]) });
    const retryAt = first.outcomes[0].nextFetchAt;
    expect(retryAt).toBeGreaterThan(NOW);
    // Nothing was stored: the database still says "due now", yet the next ticks leave the source alone.
    expect((await runtime.store.sourceState('a'))!.nextFetchAt ?? 0).toBeLessThanOrEqual(NOW);
    clock = NOW + 5_000;
    expect((await runtime.poll({ dueOnly: true })).outcomes).toEqual([]);
    clock = retryAt - 1;
    expect((await runtime.poll({ dueOnly: true })).outcomes).toEqual([]);
    // On PostgreSQL a poll first claims its source (a write, so that no other poller fetches it at the same time): a
    // database refusing writes stops it before the fetch. On SQLite, where one process polls, nothing is claimed.
    expect(server.requestsTo('/a.xml')).toHaveLength(ctx.engine === 'postgres' ? 0 : 1);
    // Once the backoff has passed and the database is writable again, the source is polled and stored.
    await refuseWrites(ctx, runtime, false);
    clock = retryAt;
    const later = await runtime.poll({ dueOnly: true });
    expect(later.outcomes[0]).toMatchObject({ sourceId: 'a', status: 'ok', newEntries: 40 });
  });

  it('uses the injected random function for the backoff jitter', async () => {
    const { pollOnce } = await import('../../src/pipeline/poll.ts');
    const at = async (random: () => number) => {
      const other = await openRuntime(config(), await ctx.fresh(), silentLogger(), () => clock);
      await refuseWrites(ctx, other, true);
      try {
        return (await pollOnce({ store: other.store, config: other.config(), assigner: other.assigner, log: silentLogger(), now: () => clock, random })).outcomes[0].nextFetchAt;
      } finally {
        await other.close();
      }
    };
    expect(await at(() => 0)).not.toBe(await at(() => 0.999));
    expect(await at(() => 0.5)).toBe(await at(() => 0.5));
  });
});
