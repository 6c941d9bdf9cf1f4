// What the search index was last built with, kept in store_meta, and what follows from it: the same on both engines,
// which differ only in how they read and write the row and count entries without index rows.
import type { ReindexReason } from './types.ts';

/** What the index was last built with. */
export interface IndexRecord {
  fingerprint: string;
  /** The last migration applied when the index was checked: after a migration, the rows are checked once more. */
  schema: string | null;
}

/** The store_meta key of the record. */
export const INDEX_RECORD_KEY = 'search_index';

/** The stored value of a record. */
export function encodeIndexRecord(fingerprint: string, schema: string | null): string {
  return JSON.stringify({ fingerprint, schema } satisfies IndexRecord);
}

/** The record in a stored value; null when there is none or it cannot be read (the index is then rebuilt). */
export function decodeIndexRecord(value: string | undefined | null): IndexRecord | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as Partial<IndexRecord>;
    return typeof parsed.fingerprint === 'string' ? { fingerprint: parsed.fingerprint, schema: parsed.schema ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * Why the index must be (re)built, judged from its record: everything when it was built with another analyzer or
 * never recorded, its missing rows after a migration; null when only a count of missing rows can tell.
 */
export function recordedReason(recorded: IndexRecord | null, fingerprint: string, schema: string | null): ReindexReason | null {
  if (!recorded) return 'never-built';
  if (recorded.fingerprint !== fingerprint) return 'analyzer-changed';
  if (recorded.schema !== schema) return 'migrated';
  return null;
}

/** What a rebuild for `reason` writes: only the entries without index rows, or all of them. */
export function reindexScope(reason: ReindexReason): 'missing' | 'all' {
  // A migration that rebuilt the index table leaves rows missing; one that did not changed nothing search reads.
  return reason === 'missing-rows' || reason === 'migrated' ? 'missing' : 'all';
}
