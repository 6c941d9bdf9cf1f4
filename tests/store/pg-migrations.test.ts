// drizzle/pg applied by drizzle's migrator through postgres.js to a fresh database gives every table, column and
// index of the schemas (SQLite's, so nothing it has is missing on PostgreSQL), and the full-text table works.
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_SKIP_REASON, type TestDatabase } from '../helpers/pg.ts';
import { PG_ONLY_TABLES, pgShapes, sqliteShapes } from '../helpers/schemas.ts';

const MIGRATIONS = path.resolve('drizzle/pg');

describe.skipIf(PG_SKIP_REASON !== null)(`PostgreSQL migrations${PG_SKIP_REASON ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  let database: TestDatabase;
  let client: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = postgres(database.url, { max: 2, onnotice: () => {} });
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  async function columns(): Promise<Record<string, Record<string, { type: string; nullable: boolean }>>> {
    const rows = await client<{ table_name: string; column_name: string; data_type: string; is_nullable: string }[]>`
      SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`;
    const out: Record<string, Record<string, { type: string; nullable: boolean }>> = {};
    for (const r of rows) (out[r.table_name] ??= {})[r.column_name] = { type: r.data_type, nullable: r.is_nullable === 'YES' };
    return out;
  }

  it('creates every table of the SQLite schema with the same columns, and the full-text table', async () => {
    const sqlite = sqliteShapes();
    const got = await columns();
    expect(Object.keys(got).sort()).toEqual([...Object.keys(sqlite), ...PG_ONLY_TABLES].sort());
    for (const [table, shape] of Object.entries(sqlite)) {
      expect(Object.keys(got[table]!).sort(), table).toEqual(Object.keys(shape.columns).sort());
      for (const [col, c] of Object.entries(shape.columns)) {
        expect(got[table]![col]!.nullable, `${table}.${col} nullable`).toBe(!c.notNull);
        // Numbers are integers (ids, counts) or bigints (milliseconds); strings are text.
        expect(got[table]![col]!.type, `${table}.${col}`).toMatch(c.dataType === 'number' ? /^(integer|bigint)$/ : /^text$/);
      }
    }
    expect(got.entries_search).toEqual({ entry_id: { type: 'integer', nullable: false }, terms: { type: 'tsvector', nullable: false } });
  });

  it('keeps times as bigint milliseconds', async () => {
    const got = await columns();
    for (const [table, col] of [['entries', 'published_at'], ['entries', 'first_seen_at'], ['stories', 'updated_at'], ['sources', 'next_fetch_at']] as const) {
      expect(got[table]![col]!.type, `${table}.${col}`).toBe('bigint');
    }
  });

  it('creates every index of the schemas, unique where SQLite is, and a GIN index on the full-text terms', async () => {
    const rows = await client<{ indexname: string; indexdef: string }[]>`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`;
    const defs = new Map(rows.map((r) => [r.indexname, r.indexdef]));
    for (const [table, shape] of Object.entries(sqliteShapes())) {
      for (const [name, desc] of Object.entries(shape.indexes)) {
        expect(defs.get(name), `${table}: ${name}`).toMatch(new RegExp(`^CREATE ${desc.startsWith('unique') ? 'UNIQUE ' : ''}INDEX ${name} ON public\\.${table} `));
      }
    }
    // A bare DESC is NULLS FIRST in PostgreSQL: the index must say the same, or newest-first pages sort the table.
    expect(defs.get('entries_published_idx')).toContain('(published_at DESC, id DESC)');
    expect(defs.get('stories_published_idx')).toContain('(published_at DESC, id DESC)');
    expect(defs.get('entries_search_terms_idx')).toBe('CREATE INDEX entries_search_terms_idx ON public.entries_search USING gin (terms)');
    expect(Object.keys(pgShapes().entries_search!.indexes)).toEqual(['entries_search_terms_idx']);
  });

  it('walks the newest-first indexes for newest-first pages', async () => {
    for (const table of ['entries', 'stories']) {
      const plan = await client.begin(async (tx) => {
        await tx`SET LOCAL enable_seqscan = off`;
        await tx`SET LOCAL enable_sort = off`;
        return tx.unsafe(`EXPLAIN SELECT id FROM ${table} ORDER BY published_at DESC, id DESC LIMIT 20`);
      });
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text, text).toMatch(new RegExp(`Index (Only )?Scan using ${table}_published_idx on ${table}`));
      expect(text, text).not.toMatch(/Sort/);
    }
  });

  it('finds an entry by its indexed terms, and drops its terms with it', async () => {
    await client`INSERT INTO sources (id, url) VALUES ('s', 'https://example.org/feed')`;
    const [story] = await client<{ id: number }[]>`INSERT INTO stories (title, published_at, updated_at) VALUES ('t', 1, 1) RETURNING id`;
    const [entry] = await client<{ id: number }[]>`
      INSERT INTO entries (source_id, key, title, published_at, content_hash, first_seen_at, changed_at, story_id)
      VALUES ('s', 'k', 'Zelenskyy in Kiev', 1767225600000, 'h', 1767225600000, 1767225600000, ${story!.id}) RETURNING id`;
    await client`INSERT INTO entries_search (entry_id, terms) VALUES (${entry!.id}, to_tsvector('simple', 'zelenski kyiv'))`;
    const hit = await client`SELECT entry_id FROM entries_search WHERE terms @@ to_tsquery('simple', 'zelenski & kyiv')`;
    expect(hit.map((r) => r.entry_id)).toEqual([entry!.id]);
    const miss = await client`SELECT entry_id FROM entries_search WHERE terms @@ to_tsquery('simple', 'zelenski & odesa')`;
    expect(miss).toEqual([]);
    // Milliseconds beyond 2^31 come back as the same JavaScript number through drizzle's bigint (mode: 'number').
    const { entries } = await import('../../src/store/pg/schema.ts');
    const [row] = await drizzle(client).select({ publishedAt: entries.publishedAt }).from(entries);
    expect(row).toEqual({ publishedAt: 1767225600000 });
    await client`DELETE FROM entries WHERE id = ${entry!.id}`;
    expect(await client`SELECT count(*)::int AS n FROM entries_search`).toEqual([{ n: 0 }]);
  });

  it('applies nothing the second time', async () => {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
    const applied = await client`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
    expect(applied).toEqual([{ n: readMigrationFiles({ migrationsFolder: MIGRATIONS }).length }]);
  });
});
