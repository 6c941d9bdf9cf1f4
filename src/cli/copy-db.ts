// `storywire copy-db --from DB --to DB`: copies a whole database to another, between engines in either direction
// (SQLite file <-> PostgreSQL URL) or within one. Every table is read in key order and written in batches, each one
// transaction on the target, ids kept (so feed guids urn:storywire:story:<id> stay the same); the search index is
// rebuilt on the target from the copied entries with the config's analyser; the id counters move past the copied
// (and deleted) ids; and the row counts of both sides are compared at the end.
import fs from 'node:fs';
import path from 'node:path';
import { OperatorError } from '../lib/operator-error.ts';
import { rebuildSearch } from '../pipeline/search-index.ts';
import { loadAliases, type AliasTable } from '../stories/index.ts';
import { COPY_TABLES, isPostgresUrl, openStorage, type CopyKey, type CopyRows, type CopyTable, type SnapshotReads, type Storage } from '../store/index.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';
import { loadServiceConfig } from './service-config.ts';

/** Rows read and written per batch (one transaction on the target each). */
export const COPY_BATCH = 5000;

/** Copies; exit 0 when every count matches, 1 on a mismatch, 2 for a refused target (thrown OperatorError). */
export async function copyDbCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { from: { type: 'string' }, to: { type: 'string' } });
  if (positionals.length) throw new UsageError(`copy-db takes no arguments, got "${positionals.join(' ')}"`);
  if (typeof values.db === 'string') throw new UsageError('copy-db takes --from and --to, not --db');
  const from = values.from;
  const to = values.to;
  if (!from || !to) throw new UsageError('copy-db needs --from and --to, e.g. storywire copy-db --from ./data/storywire.db --to postgres://storywire:secret@127.0.0.1:5432/storywire');
  if (sameDatabase(from, to)) throw new UsageError(`copy-db: --from and --to name the same database (${from})`);
  const aliases = searchAliases(values.config);
  return copyDatabase(from, to, { aliases });
}

/** What copyDatabase needs besides the two databases. */
export interface CopyOptions {
  /** The alias table the target's search index is built with (the config's). */
  aliases: AliasTable;
  /** Rows per batch (COPY_BATCH). */
  batch?: number;
  /** Where progress goes (stderr). */
  progress?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  /** Where the summary goes (stdout). */
  out?: (line: string) => void;
  /** Called after each batch is written to the target, with the rows of `table` copied so far (tests write to the source here). */
  onBatch?: (table: CopyTable, done: number) => Promise<void>;
}

/** Copies database `from` into the empty database `to`; returns the exit code. */
export async function copyDatabase(from: string, to: string, opts: CopyOptions): Promise<number> {
  const progress = opts.progress ?? process.stderr;
  const out = opts.out ?? ((line: string) => console.log(line));
  const batch = opts.batch ?? COPY_BATCH;
  // The source is only read: not migrated, never created.
  const source = await openStorage(from, { readonly: true });
  let target: Storage | undefined;
  try {
    const into = (target = await openStorage(to));
    await refuseNonEmpty(into);
    const started = performance.now();
    const copied: Record<CopyTable, number> = { sources: 0, store_meta: 0, stories: 0, entries: 0, fetch_history: 0 };
    // The source is read in one snapshot, so a poller writing to it meanwhile changes neither the copy nor the counts.
    const counted = await source.snapshot(async (snap) => {
      for (const table of COPY_TABLES) copied[table] = await copyTable(snap, into, table, batch, progress, opts.onBatch);
      await into.advanceIdCounters(await snap.idCounters());
      const counts: Partial<Record<CopyTable, number>> = {};
      for (const table of COPY_TABLES) counts[table] = await snap.countRows(table);
      return counts as Record<CopyTable, number>;
    });
    const index = await rebuildSearch(into, opts.aliases);
    progress.write(`search index: ${index.indexed} entries indexed\n`);

    const mismatches: string[] = [];
    for (const table of COPY_TABLES) {
      const [a, b] = [counted[table], await into.countRows(table)];
      // store_meta: the target records its own index build, so it may hold a key the source never wrote.
      if (table === 'store_meta' ? b < a : a !== b) mismatches.push(`${table}: ${a} in the source, ${b} in the target`);
    }
    const entries = await target.countRows('entries');
    const indexed = await target.countRows('search_index');
    if (indexed !== entries) mismatches.push(`search index: ${indexed} rows for ${entries} entries`);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    if (mismatches.length) {
      console.error(`storywire copy-db: counts differ after copying ${source.location} to ${target.location} (copy again into an empty database): ${mismatches.join('; ')}`);
      return 1;
    }
    out(
      `copied ${source.location} (${source.engine}) to ${target.location} (${target.engine}) in ${secs}s: ` +
        `${copied.sources} sources, ${copied.stories} stories, ${copied.entries} entries, ${copied.store_meta} store_meta rows, ${copied.fetch_history} fetch history rows, ${indexed} entries indexed for search; counts match`,
    );
    return 0;
  } finally {
    await target?.close();
    await source.close();
  }
}

async function refuseNonEmpty(target: Storage): Promise<void> {
  const counts = { sources: await target.countRows('sources'), stories: await target.countRows('stories'), entries: await target.countRows('entries') };
  if (counts.sources || counts.stories || counts.entries) {
    throw new OperatorError(
      `storywire copy-db: target ${target.location} is not empty (${counts.sources} sources, ${counts.stories} stories, ${counts.entries} entries); copy into a new, empty database`,
    );
  }
}

// Reads `table` in key order, a batch at a time, and writes each batch in one transaction on the target.
async function copyTable(source: SnapshotReads, target: Storage, table: CopyTable, batch: number, progress: CopyOptions['progress'] & object, onBatch: CopyOptions['onBatch']): Promise<number> {
  const total = await source.countRows(table);
  // store_meta is read by its key, sources by their text id, the other tables by their integer id.
  const keyOf = (row: CopyRows[CopyTable]): CopyKey => (table === 'store_meta' ? (row as CopyRows['store_meta']).key : (row as CopyRows[Exclude<CopyTable, 'store_meta'>]).id);
  let after: CopyKey | null = null;
  let done = 0;
  for (;;) {
    const rows = await source.exportRows(table, after, batch);
    if (!rows.length) break;
    await target.importRows(table, rows);
    done += rows.length;
    after = keyOf(rows[rows.length - 1]!);
    if (progress.isTTY) progress.write(`\r${table}: ${done} / ${total}`);
    await onBatch?.(table, done);
  }
  progress.write(`${progress.isTTY ? '\r' : ''}${table}: ${done} rows copied\n`);
  return done;
}

// The alias table of the config (--config, $STORYWIRE_CONFIG or ./feeds.json); the built-in one when no config exists
// and none was named, since a copy needs nothing else from it.
function searchAliases(configFlag: unknown): AliasTable {
  const env = runtimeEnv({ config: configFlag });
  if (typeof configFlag !== 'string' && !process.env.STORYWIRE_CONFIG && !fs.existsSync(env.configPath)) return loadAliases();
  const config = loadServiceConfig(env.configPath);
  return loadAliases(config.settings.aliasesFile ?? undefined);
}

function sameDatabase(a: string, b: string): boolean {
  if (isPostgresUrl(a) || isPostgresUrl(b)) return a === b;
  return a !== ':memory:' && path.resolve(a) === path.resolve(b);
}
