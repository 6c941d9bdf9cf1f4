// copy-db copies one consistent state of its source even while a poller goes on writing to it: between the batches of
// the copy another connection inserts sources, stories and entries and edits an entry not yet copied, and the target
// still holds exactly what the source held when the copy started, with every count matching.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyDatabase } from '../../src/cli/copy-db.ts';
import { loadAliases } from '../../src/stories/index.ts';
import { COPY_TABLES, openStorage, type CopyTable, type Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const T = Date.UTC(2026, 4, 20, 12);
const quiet = { write: () => true, isTTY: false };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-snapshot-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Stores an entry of `source` under `key` in a story of its own. */
async function addEntry(s: Storage, source: string, key: string, at: number): Promise<void> {
  await s.transaction(async (tx) => {
    const r = await tx.upsertEntry(source, entryInput({ key, publishedAt: at }), at);
    if (r.kind !== 'inserted') throw new Error(`expected an insert of ${key}`);
    const story = await tx.createStory(r.id);
    await tx.assignStory(r.id, story);
    await tx.refreshStory(story, at);
  });
}

/** Every row of every copied table, in key order. */
async function contents(s: Storage): Promise<Record<CopyTable, unknown[]>> {
  const out = {} as Record<CopyTable, unknown[]>;
  for (const table of COPY_TABLES) out[table] = await s.exportRows(table, null, 10_000);
  return out;
}

eachEngine('copy-db reads its source as one snapshot', (ctx) => {
  it('copies the state at the start while another connection writes between batches', async () => {
    const from = await ctx.fresh(path.join(dir, `source-${ctx.engine}.db`));
    const to = path.join(dir, `target-${ctx.engine}.db`);
    const writer = await openStorage(from);
    try {
      const sources = ['alpha', 'beta', 'gamma'].map((id) => ({ id, url: `https://${id}.example/feed`, priority: 0 }));
      await writer.syncSources(sources);
      for (let i = 0; i < 12; i++) await addEntry(writer, sources[i % 3]!.id, `k${i}`, T + i * 60_000);
      const before = await contents(writer);
      const counters = await writer.idCounters();

      // A poller's writes after each batch: a new source, a new entry in a new story, and an edit of the last
      // entry (not copied yet while entries are still being copied).
      let writes = 0;
      const onBatch = async (table: CopyTable) => {
        // At most 10 rounds: a copy that reads what these write would otherwise chase them for ever.
        if (table === 'store_meta' || writes === 10) return;
        writes++;
        await writer.syncSources([...sources, { id: `late${writes}`, url: `https://late${writes}.example/feed`, priority: 0 }]);
        await addEntry(writer, 'alpha', `late${writes}`, T + 3_600_000 + writes);
        const edit = await writer.upsertEntry('gamma', entryInput({ key: 'k11', title: `Edited ${writes}`, publishedAt: T }), T + writes);
        expect(edit.kind).toBe('updated');
      };
      expect(await copyDatabase(from, to, { aliases: loadAliases(), batch: 4, progress: quiet, out: () => {}, onBatch })).toBe(0);
      // Batches of 4: 1 of sources, 3 of stories, 3 of entries, each followed by writes.
      expect(writes).toBe(7);
      expect(await writer.countRows('entries')).toBe(12 + writes);

      const copy = await openStorage(to, { readonly: true });
      try {
        const after = await contents(copy);
        expect(after.sources).toEqual(before.sources);
        expect(after.stories).toEqual(before.stories);
        expect(after.entries).toEqual(before.entries);
        const copied = await copy.idCounters();
        if (ctx.engine === 'sqlite') expect(copied).toEqual(counters);
        else {
          // Sequences stand outside transactions: PostgreSQL's are read as they are now, past the snapshot, never behind it.
          expect(copied.stories).toBeGreaterThanOrEqual(counters.stories);
          expect(copied.entries).toBeGreaterThanOrEqual(counters.entries);
        }
        expect(await copy.countRows('search_index')).toBe(12);
      } finally {
        await copy.close();
      }
    } finally {
      await writer.close();
    }
  });
});
