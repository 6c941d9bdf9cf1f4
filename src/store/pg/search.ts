// Full-text search on PostgreSQL: entries_search holds each entry's normalised match terms (the same list SQLite's
// FTS5 table entries_fts indexes) as a tsvector under a GIN index; a search requires every term, as SQLite's MATCH.
//
// The same tokens as FTS5, no parsing of our own: the tsvector and the tsquery are built as literals from the term list
// split where FTS5's unicode61 tokenizer splits it (at any character that is not a letter, a digit or private use), not
// with to_tsvector/to_tsquery, whose parsers would stem or drop what the normaliser already made. A compound term
// (supreme_court) is two tokens at consecutive positions, and as a query term the phrase 'supreme' <-> 'court', as it is
// in FTS5; so "court" finds the Supreme Court on both engines. The literal keeps each token's positions, so ts_rank sees
// how often a token occurs, as bm25 does.
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ReindexReport, SearchAnalyzer } from '../types.ts';
import { jsonParam } from './listing.ts';
import type { PgDb } from './open.ts';
import { decodeIndexRecord, encodeIndexRecord, INDEX_RECORD_KEY, recordedReason, reindexScope, type IndexRecord } from '../index-record.ts';

/** PostgreSQL keeps positions up to 16383; later occurrences share the last one. */
const MAX_POSITION = 16383;

// A tsvector/tsquery lexeme: quoted, with ' doubled and \ escaped (the syntax of the types' text input).
function lexeme(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** FTS5 unicode61's token characters (its default categories "L* N* Co"); every other character separates tokens. */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/** A term's tokens as FTS5 reads them. */
function tokens(term: string): string[] {
  return term.match(TOKEN) ?? [];
}

/** The tsvector text of an entry's terms: each token a lexeme with its positions (1-based, in order). */
export function tsvectorText(terms: readonly string[]): string {
  const positions = new Map<string, number[]>();
  let at = 0;
  for (const token of terms.flatMap(tokens)) {
    const list = positions.get(token) ?? positions.set(token, []).get(token)!;
    list.push(Math.min(++at, MAX_POSITION));
  }
  return [...positions].map(([t, p]) => `${lexeme(t)}:${[...new Set(p)].join(',')}`).join(' ');
}

/** The tsquery text requiring every term (a compound one as a phrase), or null when there is none (nothing matches, as on SQLite). */
export function tsqueryText(terms: readonly string[]): string | null {
  const list = terms.map(tokens).filter((t) => t.length > 0);
  return list.length ? list.map((t) => (t.length === 1 ? lexeme(t[0]!) : `(${t.map(lexeme).join(' <-> ')})`)).join(' & ') : null;
}

/** Indexes (or re-indexes) an entry for full-text search under its normalised match terms. */
export async function indexForSearch(db: PgDb, entryId: number, terms: readonly string[]): Promise<void> {
  // Raw SQL: an upsert whose value is a ::tsvector cast of a parameter (SQLite: INSERT OR REPLACE into entries_fts).
  await db.execute(sql`INSERT INTO entries_search (entry_id, terms) VALUES (${entryId}, ${tsvectorText(terms)}::tsvector)
    ON CONFLICT (entry_id) DO UPDATE SET terms = excluded.terms`);
}

/** Indexes several entries in one statement (an entry met twice keeps its last terms: one row cannot be upserted twice). */
export async function indexManyForSearch(db: PgDb, rows: ReadonlyMap<number, readonly string[]>): Promise<void> {
  if (!rows.size) return;
  const records = [...rows].map(([id, terms]) => ({ id, terms: tsvectorText(terms) }));
  // Raw SQL: rows from one JSON parameter, each cast to a tsvector.
  await db.execute(sql`INSERT INTO entries_search (entry_id, terms)
    SELECT t.id, t.terms::tsvector FROM json_to_recordset(${jsonParam(records)}::json) AS t(id int, terms text)
    ON CONFLICT (entry_id) DO UPDATE SET terms = excluded.terms`);
}

/** "Entry `idColumn` matches all terms": the GIN index finds the matching entries. */
export function entryMatches(terms: readonly string[], idColumn: SQL | PgColumn): SQL {
  const q = tsqueryText(terms);
  if (q === null) return sql`false`;
  return sql`${idColumn} IN (SELECT s.entry_id FROM entries_search s WHERE s.terms @@ ${q}::tsquery)`;
}

const BATCH = 5000;

/** Makes the search index match the entries under `analyzer` (as sqlite/search.ts does). */
export async function ensureSearchIndex(db: PgDb, analyzer: SearchAnalyzer): Promise<ReindexReport> {
  const started = performance.now();
  const recorded = await readRecord(db);
  const schema = await lastMigration(db);
  const reason = recordedReason(recorded, analyzer.fingerprint, schema) ?? ((await unindexedCount(db)) > 0 ? 'missing-rows' : 'current');
  if (reason === 'current') return { reason, indexed: 0, removed: 0, ms: performance.now() - started };
  return { ...(await writeIndex(db, analyzer, reindexScope(reason), schema)), reason, ms: performance.now() - started };
}

/** Rebuilds every entry's index row under `analyzer` and records it (`storywire reindex`). */
export async function rebuildSearchIndex(db: PgDb, analyzer: SearchAnalyzer): Promise<ReindexReport> {
  const started = performance.now();
  return { ...(await writeIndex(db, analyzer, 'all', await lastMigration(db))), reason: 'forced', ms: performance.now() - started };
}

/** Re-indexes the entries stored or changed at or after `since`. */
export async function reindexChangedSince(db: PgDb, analyzer: SearchAnalyzer, since: number): Promise<number> {
  const rows = await db.execute<{ id: number; title: string; summary: string }>(sql`SELECT id, title, summary FROM entries WHERE changed_at >= ${since}`);
  await db.transaction(async (tx) => {
    for (const row of rows) await indexForSearch(tx, row.id, analyzer.terms(row));
  });
  return rows.length;
}

async function writeIndex(db: PgDb, analyzer: SearchAnalyzer, only: 'all' | 'missing', schema: string | null): Promise<{ indexed: number; removed: number }> {
  // entries_search rows go with their entry (ON DELETE CASCADE): there are never rows of vanished entries to remove.
  const removed = 0;
  if (only === 'all') await db.execute(sql`DELETE FROM entries_search`);
  let indexed = 0;
  let last = 0;
  for (;;) {
    // Raw SQL: a keyset page with an anti-join on the index (NOT EXISTS), read in batches.
    const rows = await db.execute<{ id: number; title: string; summary: string }>(
      only === 'all'
        ? sql`SELECT id, title, summary FROM entries WHERE id > ${last} ORDER BY id LIMIT ${BATCH}`
        : sql`SELECT id, title, summary FROM entries e WHERE id > ${last} AND NOT EXISTS (SELECT 1 FROM entries_search s WHERE s.entry_id = e.id) ORDER BY id LIMIT ${BATCH}`,
    );
    if (!rows.length) break;
    await db.transaction(async (tx) => {
      const batch = JSON.stringify(rows.map((r) => [r.id, tsvectorText(analyzer.terms(r))]));
      // Raw SQL: one INSERT of the whole batch from one JSON parameter, instead of one round trip per entry.
      await tx.execute(sql`INSERT INTO entries_search (entry_id, terms)
        SELECT (b.value->>0)::int, (b.value->>1)::tsvector FROM jsonb_array_elements(${batch}::jsonb) AS b
        ON CONFLICT (entry_id) DO UPDATE SET terms = excluded.terms`);
    });
    indexed += rows.length;
    last = rows[rows.length - 1]!.id;
  }
  // Raw SQL: an upsert of the record (store_meta), as on SQLite.
  await db.execute(sql`INSERT INTO store_meta (key, value) VALUES (${INDEX_RECORD_KEY}, ${encodeIndexRecord(analyzer.fingerprint, schema)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  return { indexed, removed };
}

async function unindexedCount(db: PgDb): Promise<number> {
  // Raw SQL: the anti-join of entries and their index rows.
  const [row] = await db.execute<{ n: number }>(sql`SELECT COUNT(*) AS n FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entries_search s WHERE s.entry_id = e.id)`);
  return Number(row!.n);
}

async function readRecord(db: PgDb): Promise<IndexRecord | null> {
  const [row] = await db.execute<{ value: string }>(sql`SELECT value FROM store_meta WHERE key = ${INDEX_RECORD_KEY}`);
  return decodeIndexRecord(row?.value);
}

// The hash of the newest migration drizzle applied (drizzle keeps them in its own schema on PostgreSQL).
async function lastMigration(db: PgDb): Promise<string | null> {
  const [exists] = await db.execute<{ t: string | null }>(sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`);
  if (!exists?.t) return null;
  const [row] = await db.execute<{ hash: string }>(sql`SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1`);
  return row?.hash ?? null;
}
