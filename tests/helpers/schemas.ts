// The two drizzle schemas (SQLite's and PostgreSQL's) reduced to what must agree between them: tables, columns with
// their kind of value, nullability, key and default, foreign keys, and indexes with their columns, order and
// uniqueness. Read from drizzle's own table config (getTableConfig), so a column added to one schema only shows.
import { Column, is, SQL } from 'drizzle-orm';
import { getTableConfig as pgConfig, IndexedColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pgSchema from '../../src/store/pg/schema.ts';
import * as sqliteSchema from '../../src/store/sqlite/schema.ts';

/**
 * Tables that only PostgreSQL's schema declares: its full-text index, which on SQLite is the FTS5 virtual table
 * entries_fts, created by a hand-written migration (drizzle/sqlite/0001_search_index.sql) and absent from the schema.
 */
export const PG_ONLY_TABLES = ['entries_search'];

export interface ColumnShape {
  /** drizzle's kind of JavaScript value: 'number', 'string', ... */
  dataType: string;
  notNull: boolean;
  primary: boolean;
  /** The default as a JSON string, or null. */
  default: string | null;
  enumValues: string[] | null;
  /** "table.column" it references, or null. */
  references: string | null;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  /** Index name -> "unique? (col [desc], ...)". */
  indexes: Record<string, string>;
}

function column(c: Column, references: string | null): ColumnShape {
  return {
    dataType: c.dataType,
    notNull: c.notNull,
    primary: c.primary,
    default: c.default === undefined ? null : JSON.stringify(c.default),
    enumValues: c.enumValues ?? null,
    references,
  };
}

function indexShape(unique: boolean, columns: string[]): string {
  return `${unique ? 'unique ' : ''}(${columns.join(', ')})`;
}

// An index expression (`sql\`...\``) as text, its columns by name, in lower case: `coalesce(next_fetch_at, 0)`.
function expressionText(c: SQL): string {
  if (!c.queryChunks.some((q) => is(q, Column))) throw new Error('index expression without a column');
  return c.queryChunks.map((q) => (is(q, Column) ? q.name : ((q as { value?: string[] }).value ?? []).join(''))).join('').trim().toLowerCase();
}

// An index column on SQLite is a column, `sql\`${column} DESC\`` (its name and direction) or another expression.
function sqliteIndexColumn(c: unknown): string {
  if (is(c, Column)) return c.name;
  if (is(c, SQL)) return expressionText(c).replace(/\s+desc$/, ' desc');
  throw new Error('unknown index column');
}

// On PostgreSQL a column of an index is an IndexedColumn (with its direction), or an expression.
function pgIndexColumn(c: unknown): string {
  if (is(c, IndexedColumn)) return c.indexConfig.order === 'desc' ? `${c.name} desc` : c.name!;
  if (is(c, SQL)) return expressionText(c);
  throw new Error('unknown index column');
}

/** Every table of the SQLite schema module, by table name. */
export function sqliteShapes(): Record<string, TableShape> {
  const out: Record<string, TableShape> = {};
  for (const t of Object.values(sqliteSchema)) {
    if (!is(t, SQLiteTable)) continue;
    const cfg = sqliteConfig(t);
    const refs = new Map(cfg.foreignKeys.map((fk) => {
      const r = fk.reference();
      return [r.columns[0]!.name, `${sqliteConfig(r.foreignTable).name}.${r.foreignColumns[0]!.name}`] as const;
    }));
    out[cfg.name] = {
      columns: Object.fromEntries(cfg.columns.map((c) => [c.name, column(c, refs.get(c.name) ?? null)])),
      indexes: Object.fromEntries(cfg.indexes.map((i) => [i.config.name, indexShape(i.config.unique, i.config.columns.map(sqliteIndexColumn))])),
    };
  }
  return out;
}

/** Every table of the PostgreSQL schema module, by table name. */
export function pgShapes(): Record<string, TableShape> {
  const out: Record<string, TableShape> = {};
  for (const t of Object.values(pgSchema)) {
    if (!is(t, PgTable)) continue;
    const cfg = pgConfig(t);
    const refs = new Map(cfg.foreignKeys.map((fk) => {
      const r = fk.reference();
      return [r.columns[0]!.name, `${pgConfig(r.foreignTable).name}.${r.foreignColumns[0]!.name}`] as const;
    }));
    out[cfg.name] = {
      columns: Object.fromEntries(cfg.columns.map((c) => [c.name, column(c, refs.get(c.name) ?? null)])),
      indexes: Object.fromEntries(cfg.indexes.map((i) => [i.config.name!, indexShape(i.config.unique, i.config.columns.map(pgIndexColumn))])),
    };
  }
  return out;
}
