// What both engines share about the fetch history (fetch_history, one row per fetch of a source): the row a poll's
// recorded outcome makes, and rows grouped by source for the readers.
import { FETCH_HISTORY_KEPT, type FailureUpdate, type FetchRecord, type SuccessUpdate } from './types.ts';

/** The history row of a successful poll. */
export function successRecord(sourceId: string, u: SuccessUpdate): FetchRecord {
  return {
    sourceId,
    fetchedAt: u.at,
    outcome: u.notModified ? 'not_modified' : 'ok',
    httpStatus: u.httpStatus,
    errorKind: null,
    newEntries: u.newEntries ?? 0,
    updatedEntries: u.updatedEntries ?? 0,
    durationMs: u.durationMs ?? null,
  };
}

/** The history row of a failed poll. */
export function failureRecord(sourceId: string, u: FailureUpdate): FetchRecord {
  return { sourceId, fetchedAt: u.at, outcome: 'error', httpStatus: u.httpStatus, errorKind: u.kind, newEntries: 0, updatedEntries: 0, durationMs: u.durationMs ?? null };
}

/**
 * Rows ordered by source then time, as a map from source id to its newest FETCH_HISTORY_KEPT rows (in that order).
 * Pruning keeps no more than that; a store written while more were kept holds more until each source's next fetch.
 */
export function bySource(rows: readonly FetchRecord[]): Map<string, FetchRecord[]> {
  const out = new Map<string, FetchRecord[]>();
  for (const r of rows) {
    const list = out.get(r.sourceId);
    if (list) list.push(r);
    else out.set(r.sourceId, [r]);
  }
  for (const [id, list] of out) if (list.length > FETCH_HISTORY_KEPT) out.set(id, list.slice(-FETCH_HISTORY_KEPT));
  return out;
}
