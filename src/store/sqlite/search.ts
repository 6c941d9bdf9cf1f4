// Full-text search: the entries_fts index (each entry's normalised match terms), match expressions, and keeping the
// index in step with the entries (rebuilt when what built it changed, filled in for entries that have no row).
// Raw SQL throughout: FTS5 (its virtual table, MATCH, rowid, its 'delete-all' and 'optimize' commands and its
// entries_fts_docsize shadow table) is SQLite's own and outside what drizzle's builder knows.
import { sql, type SQL } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './open.ts';
import { decodeIndexRecord, encodeIndexRecord, INDEX_RECORD_KEY, recordedReason, reindexScope, type IndexRecord } from '../index-record.ts';
import { entries } from './schema.ts';
import type { ReindexReport, SearchAnalyzer } from '../types.ts';

const statements = new WeakMap<SqliteDb, { index: Statement; getMeta: Statement; setMeta: Statement; lastEntryId: Statement; hits: Statement; nthNewestHit: Statement }>();

function prepared(store: SqliteDb) {
  let s = statements.get(store);
  if (!s) {
    s = {
      index: store.sqlite.prepare('INSERT OR REPLACE INTO entries_fts (rowid, terms) VALUES (?, ?)'),
      getMeta: store.sqlite.prepare('SELECT value FROM store_meta WHERE key = ?').pluck(),
      setMeta: store.sqlite.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      // Every search reads these to choose how to read the index.
      lastEntryId: store.sqlite.prepare('SELECT MAX(id) FROM entries').pluck(),
      hits: store.sqlite.prepare('SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?').pluck(),
      nthNewestHit: store.sqlite.prepare('SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?').pluck(),
    };
    statements.set(store, s);
  }
  return s;
}

/** Indexes (or re-indexes) an entry for full-text search under its normalised match terms. */
export function indexForSearch(store: SqliteDb, entryId: number, terms: readonly string[]): void {
  prepared(store).index.run(entryId, terms.join(' '));
}

/** An FTS5 MATCH expression requiring every term; each is quoted, so no user text acts as FTS syntax. */
export function matchExpression(terms: readonly string[]): string {
  // '""' can never match a token: an empty term list finds nothing rather than everything.
  return terms.length ? terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ') : '""';
}

// A search reads the index in one of two ways, for a newest-first list that stops after a page of `limit` rows.
// Few hits: the matching entries themselves are read and sorted (a cost per hit). More: the list is walked newest
// first and each row checked against the hits (a cost per row walked, about limit * rows / hits); the hits are read
// once into a set, the newest NEWEST_HITS of them, and a row older than those is looked up in the index itself,
// so a very common term costs a bounded read and a walk of a few rows, never all its hits.

/** Reading the entry of a hit costs about this many steps of a walk checking rows against the set of hits. */
const DIRECT_COST = 30;
/** The newest hits read into the set a walk checks rows against. */
export const NEWEST_HITS = 5_000;

/**
 * The ids of the entries matching all terms when there are so few that reading them beats walking a list of the
 * stored entries for `limit` rows (hits^2 * DIRECT_COST < limit * entries); null when a walk finds the page sooner.
 */
export function fewMatches(store: SqliteDb, terms: readonly string[], limit: number): number[] | null {
  const s = prepared(store);
  // The highest id stands for the number of entries: exact enough, and one step down the table's b-tree.
  const entryCount = (s.lastEntryId.get() as number | null) ?? 0;
  const cap = Math.max(limit, Math.floor(Math.sqrt((limit * entryCount) / DIRECT_COST)));
  const hits = s.hits.all(matchExpression(terms), cap + 1) as number[];
  return hits.length <= cap ? hits : null;
}

/** "Entry `idColumn` matches all terms", for a walk of a newest-first list that checks each row it reads. */
export function walkMatches(store: SqliteDb, terms: readonly string[], idColumn: SQL | typeof entries.id): SQL {
  const expr = matchExpression(terms);
  // The unary + keeps SQLite from using the set as a list of ids to look up for every row walked; it is only a filter.
  const newest = sql`+${idColumn} IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ${expr} ORDER BY rowid DESC LIMIT ${NEWEST_HITS})`;
  const oldestInSet = prepared(store).nthNewestHit.get(expr, NEWEST_HITS - 1) as number | undefined;
  if (oldestInSet === undefined) return newest;
  return sql`(${newest} OR (${idColumn} < ${oldestInSet} AND EXISTS (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ${expr} AND entries_fts.rowid = ${idColumn})))`;
}

/** "Entry `idColumn` matches all terms" for a newest-first list of entries of `limit` rows, read the cheaper way. */
export function entryMatches(store: SqliteDb, terms: readonly string[], idColumn: SQL | typeof entries.id, limit: number): SQL {
  const hits = fewMatches(store, terms, limit);
  if (hits) return sql`${idColumn} IN (SELECT value FROM json_each(${JSON.stringify(hits)}))`;
  return walkMatches(store, terms, idColumn);
}





/** Entries written per transaction: each batch commits, so other writers wait for one batch at most. */
const BATCH = 5000;

/**
 * Makes the search index match the entries under `analyzer`: everything is reindexed when the index was built with
 * another analyzer or never recorded; otherwise entries without an index row are indexed and rows of vanished
 * entries dropped (always once after a migration). Cheap when nothing is to do: a small read and one anti-join.
 */
export function ensureSearchIndex(store: SqliteDb, analyzer: SearchAnalyzer): ReindexReport {
  const started = performance.now();
  const recorded = readRecord(store);
  const schema = lastMigration(store);
  const reason = recordedReason(recorded, analyzer.fingerprint, schema) ?? (unindexedCount(store) > 0 ? 'missing-rows' : 'current');
  if (reason === 'current') return { reason, indexed: 0, removed: 0, ms: performance.now() - started };
  return { ...writeIndex(store, analyzer, reindexScope(reason), schema), reason, ms: performance.now() - started };
}

/** Rebuilds every entry's index row under `analyzer` and records it (`storywire reindex`). */
export function rebuildSearchIndex(store: SqliteDb, analyzer: SearchAnalyzer): ReindexReport {
  const started = performance.now();
  return { ...writeIndex(store, analyzer, 'all', lastMigration(store)), reason: 'forced', ms: performance.now() - started };
}

/** Re-indexes the entries stored or changed at or after `since` (a pass that ran while the aliases changed). */
export function reindexChangedSince(store: SqliteDb, analyzer: SearchAnalyzer, since: number): number {
  const rows = store.sqlite.prepare('SELECT id, title, summary FROM entries WHERE changed_at >= ?').all(since) as { id: number; title: string; summary: string }[];
  const { index } = prepared(store);
  store.sqlite.transaction(() => {
    for (const row of rows) index.run(row.id, analyzer.terms(row).join(' '));
  }).immediate();
  return rows.length;
}

function writeIndex(store: SqliteDb, analyzer: SearchAnalyzer, only: 'all' | 'missing', schema: string | null): { indexed: number; removed: number } {
  let removed = 0;
  if (only === 'all') {
    // Emptying the index first makes the rebuild about three times faster than replacing each row (FTS5 deletes are
    // costly). Until the last batch commits, the old record stays: a rebuild cut short starts over on the next open.
    removed = store.sqlite.prepare('SELECT COUNT(*) FROM entries_fts_docsize WHERE id NOT IN (SELECT id FROM entries)').pluck().get() as number;
    store.sqlite.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('delete-all')").run();
  }
  const page = store.sqlite.prepare(
    only === 'all'
      ? 'SELECT id, title, summary FROM entries WHERE id > ? ORDER BY id LIMIT ?'
      : 'SELECT id, title, summary FROM entries WHERE id > ? AND id NOT IN (SELECT id FROM entries_fts_docsize) ORDER BY id LIMIT ?',
  );
  const { index } = prepared(store);
  let indexed = 0;
  let last = 0;
  for (;;) {
    const rows = page.all(last, BATCH) as { id: number; title: string; summary: string }[];
    if (!rows.length) break;
    store.sqlite.transaction(() => {
      for (const row of rows) index.run(row.id, analyzer.terms(row).join(' '));
    }).immediate();
    indexed += rows.length;
    last = rows[rows.length - 1].id;
  }
  return store.sqlite.transaction(() => {
    if (only === 'missing') {
      // Rows of entries that no longer exist would make an old database look indexed; drop them.
      const orphans = store.sqlite.prepare('SELECT id FROM entries_fts_docsize WHERE id NOT IN (SELECT id FROM entries)').pluck().all() as number[];
      const drop = store.sqlite.prepare('DELETE FROM entries_fts WHERE rowid = ?');
      for (const id of orphans) drop.run(id);
      removed = orphans.length;
    }
    if (indexed > BATCH) store.sqlite.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')").run();
    prepared(store).setMeta.run(INDEX_RECORD_KEY, encodeIndexRecord(analyzer.fingerprint, schema));
    return { indexed, removed };
  }).immediate();
}

// entries_fts_docsize is FTS5's own table of one row per indexed document (id = rowid): the cheap way to
// compare what is indexed with what is stored, since a contentless table cannot be read back.
function unindexedCount(store: SqliteDb): number {
  return store.sqlite.prepare('SELECT COUNT(*) FROM entries WHERE id NOT IN (SELECT id FROM entries_fts_docsize)').pluck().get() as number;
}

function readRecord(store: SqliteDb): IndexRecord | null {
  return decodeIndexRecord(prepared(store).getMeta.get(INDEX_RECORD_KEY) as string | undefined);
}

// The hash of the newest migration drizzle applied; null when the database keeps no such table.
function lastMigration(store: SqliteDb): string | null {
  try {
    return (store.sqlite.prepare('SELECT hash FROM __drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
  } catch {
    return null;
  }
}
