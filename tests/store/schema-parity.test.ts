// The SQLite and PostgreSQL schemas are kept in step: same tables, same columns (kind of value, nullability, key,
// default, reference) and same indexes, so the store reads the same rows from either engine.
import { describe, expect, it } from 'vitest';
import { PG_ONLY_TABLES, pgShapes, sqliteShapes } from '../helpers/schemas.ts';

describe('the two drizzle schemas', () => {
  const sqlite = sqliteShapes();
  const pg = pgShapes();

  it('declare the same tables (PostgreSQL adds only its full-text index table)', () => {
    expect(Object.keys(sqlite).sort()).toEqual(['entries', 'fetch_history', 'leases', 'sources', 'store_meta', 'stories']);
    expect(Object.keys(pg).sort()).toEqual([...Object.keys(sqlite), ...PG_ONLY_TABLES].sort());
  });

  it('give every table the same columns, alike in value, nullability, key, default and reference', () => {
    for (const [name, table] of Object.entries(sqlite)) {
      expect(Object.keys(pg[name]!.columns).sort(), name).toEqual(Object.keys(table.columns).sort());
      for (const [col, shape] of Object.entries(table.columns)) expect(pg[name]!.columns[col], `${name}.${col}`).toEqual(shape);
    }
  });

  it('give every table the same indexes, on the same columns in the same order', () => {
    for (const [name, table] of Object.entries(sqlite)) expect(pg[name]!.indexes, name).toEqual(table.indexes);
    expect(sqlite.entries!.indexes['entries_published_idx']).toBe('(published_at desc, id desc)');
    expect(sqlite.entries!.indexes['entries_source_key_uq']).toBe('unique (source_id, key)');
    expect(pg.sources!.indexes['sources_due_idx']).toBe('(coalesce(next_fetch_at, 0), id)');
  });

  it("index PostgreSQL's full-text terms by entry, with a GIN index", () => {
    expect(pg.entries_search!.columns.entry_id).toMatchObject({ primary: true, notNull: true, references: 'entries.id' });
    expect(pg.entries_search!.columns.terms).toMatchObject({ notNull: true });
    expect(Object.keys(pg.entries_search!.indexes)).toEqual(['entries_search_terms_idx']);
  });
});
