// Search reindex benchmark: how long opening a database takes when its search index must be rebuilt or filled in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rebuildSearch, syncSearchIndex } from '../src/pipeline/search-index.ts';
import { loadAliases } from '../src/stories/index.ts';
import { openSqliteStorage, type SqliteStorage as Store } from '../src/store/sqlite/storage.ts';
import { fillStore } from './fill.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);

/** Fills a file database, then times a full rebuild, a no-op check, and filling in a tenth of the rows. */
export async function runReindexBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-reindex-bench-'));
  const file = path.join(dir, 'bench.db');
  try {
    const store = openSqliteStorage(file);
    await fillStore(store, ENTRIES, Date.now());
    const aliases = loadAliases();
    const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const t = performance.now();
      const r = await fn();
      return [r, performance.now() - t];
    };
    const [first, firstMs] = await time(() => syncSearchIndex(store, aliases));
    const [, checkMs] = await time(() => syncSearchIndex(store, aliases));
    store.sqlite.exec(`DELETE FROM entries_fts WHERE rowid % 10 = 0`);
    const [missing, missingMs] = await time(() => syncSearchIndex(store, aliases));
    const [full, fullMs] = await time(() => rebuildSearch(store, aliases));
    await store.close();
    console.log(`reindex: ${ENTRIES} entries (file database)`);
    console.log(`  first open (${first.reason}): ${first.indexed} indexed in ${firstMs.toFixed(0)} ms (${((first.indexed / firstMs) * 1000).toFixed(0)} entries/s)`);
    console.log(`  open with a current index: ${checkMs.toFixed(1)} ms`);
    console.log(`  open with a tenth of rows missing: ${missing.indexed} indexed in ${missingMs.toFixed(0)} ms`);
    console.log(`  storywire reindex: ${full.indexed} indexed in ${fullMs.toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runReindexBench();
