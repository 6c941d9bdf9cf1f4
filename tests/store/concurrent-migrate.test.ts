// Several processes (serve, poll, a worker) may start at once against one fresh database: the migrations run exactly
// once and every one of them comes up. PostgreSQL: concurrent opens in this process (each its own pool, so their
// statements interleave on the server). SQLite: separate processes, released together, on one new file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/store/index.ts';
import { engineContext } from '../helpers/engines.ts';
import { PG_SKIP_REASON } from '../helpers/pg.ts';

const OPENERS = 6;

/** The migrations the journal of `engine` lists, as drizzle records them (created_at = the journal's `when`). */
function journal(engine: 'sqlite' | 'pg'): number[] {
  const j = JSON.parse(fs.readFileSync(path.resolve(`drizzle/${engine}/meta/_journal.json`), 'utf8')) as { entries: { when: number }[] };
  return j.entries.map((e) => e.when);
}

describe.skipIf(PG_SKIP_REASON !== null)(`migrating one fresh PostgreSQL database from several openers at once${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  const ctx = engineContext('postgres');

  it(`opens ${OPENERS} storages concurrently: all come up, the migrations are applied once`, async () => {
    const url = await ctx.fresh();
    const opened = await Promise.allSettled(Array.from({ length: OPENERS }, () => openStorage(url)));
    const stores = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    try {
      expect(opened.filter((o) => o.status === 'rejected')).toEqual([]);
      for (const s of stores) await s.health();
      // Every opener sees the migrated schema.
      await Promise.all(stores.map((s, i) => s.syncSources([{ id: `s${i}`, url: `https://s${i}.example/feed`, priority: 0 }])));
      expect((await stores[0]!.sourceStates()).map((s) => s.id).sort()).toEqual(stores.map((_, i) => `s${i}`));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await admin<{ created_at: string }[]>`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY id`;
      expect(rows.map((r) => Number(r.created_at))).toEqual(journal('pg'));
      // The migration lock is released: nobody holds an advisory lock any more.
      expect(await admin`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});

describe('migrating one fresh SQLite file from several processes at once', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-migrate-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Starts `n` processes that each open a database once told to; resolves when all are ready to. */
  async function openers(n: number) {
    const children = Array.from({ length: n }, () => spawn(process.execPath, [path.resolve('bin/run-ts.js'), path.resolve('tests/helpers/open-on-signal.ts')], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const lines = children.map(() => [] as string[]);
    const waiting = children.map(() => [] as ((line: string) => void)[]);
    children.forEach((child, i) =>
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const w = waiting[i]!.shift();
        if (w) w(line);
        else lines[i]!.push(line);
      }),
    );
    const next = (i: number) => (lines[i]!.length ? Promise.resolve(lines[i]!.shift()!) : new Promise<string>((resolve) => waiting[i]!.push(resolve)));
    expect(await Promise.all(children.map((_, i) => next(i)))).toEqual(Array(n).fill('ready'));
    return {
      /** Tells every process to open `file` at once; resolves with what each printed. */
      async open(file: string): Promise<string[]> {
        for (const child of children) child.stdin!.write(`${file}\n`);
        return Promise.all(children.map((_, i) => next(i)));
      },
      close: () => children.forEach((child) => child.stdin!.end()),
    };
  }

  it(`${OPENERS} processes open a new file at once: all come up, the migrations are applied once`, async () => {
    const group = await openers(OPENERS);
    try {
      // A few rounds: the processes race differently each time.
      for (let round = 0; round < 20; round++) {
        const file = path.join(dir, `fresh-${round}.db`);
        expect(await group.open(file)).toEqual(Array(OPENERS).fill('ok'));
        const db = new Database(file, { readonly: true });
        try {
          const rows = db.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY id').all() as { created_at: number }[];
          expect(rows.map((r) => Number(r.created_at))).toEqual(journal('sqlite'));
        } finally {
          db.close();
        }
      }
    } finally {
      group.close();
    }
  }, 60_000);
});
