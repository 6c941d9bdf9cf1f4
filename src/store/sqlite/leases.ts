// Leases, source claims, the clustering queue and the stories counter on SQLite. One process at a time writes the
// file, so a claim or a lease is one immediate transaction; nothing here waits for another process but the file lock.
import type { SqliteDb } from './open.ts';
import { pickClaims, type ClaimRow } from '../claims.ts';
import type { ClaimOptions, ClaimRefusal, LeaseRow, PendingRow } from '../types.ts';

const CLAIM_COLUMNS = `s.id, s.url, s.permanent_redirect AS permanentRedirect, s.next_fetch_at AS nextFetchAt, s.lease_holder AS leaseHolder, s.lease_until AS leaseUntil`;

/** Takes the named lease when free, expired, a dead holder's or already `holder`'s; returns who holds it afterwards. */
export function acquireLease(store: SqliteDb, name: string, holder: string, now: number, until: number, isDead: (holder: string) => boolean): LeaseRow {
  return store.sqlite.transaction(() => {
    const row = store.sqlite.prepare('SELECT name, holder, expires_at AS expiresAt, acquired_at AS acquiredAt FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
    if (row && row.holder !== holder && row.expiresAt > now && !isDead(row.holder)) return row;
    const acquiredAt = row?.holder === holder ? row.acquiredAt : now;
    store.sqlite.prepare('INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, acquired_at = excluded.acquired_at').run(name, holder, until, acquiredAt);
    return { name, holder, expiresAt: until, acquiredAt };
  }).immediate();
}

export function renewLease(store: SqliteDb, name: string, holder: string, until: number): boolean {
  return store.sqlite.prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?').run(until, name, holder).changes > 0;
}

export function releaseLease(store: SqliteDb, name: string, holder: string): void {
  store.sqlite.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
}

export function lease(store: SqliteDb, name: string): LeaseRow | undefined {
  return store.sqlite.prepare('SELECT name, holder, expires_at AS expiresAt, acquired_at AS acquiredAt FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
}

// Picks among candidates read by `select` (given the dead holders, whose leases are free), and leases the picks.
function claim(store: SqliteDb, limit: number, o: ClaimOptions, dueOnly: boolean, select: (dead: string) => ClaimRow[]): { picked: string[]; refused: Map<string, ClaimRefusal> } {
  const leased = store.sqlite.prepare(`SELECT ${CLAIM_COLUMNS} FROM sources s WHERE s.lease_until > ?`).all(o.now) as ClaimRow[];
  const dead = JSON.stringify([...new Set(leased.flatMap((r) => (r.leaseHolder && o.isDead(r.leaseHolder) ? [r.leaseHolder] : [])))]);
  const result = pickClaims(select(dead), leased, limit, o, dueOnly);
  const take = store.sqlite.prepare('UPDATE sources SET lease_holder = ?, lease_until = ? WHERE id = ?');
  for (const id of result.picked) take.run(o.holder, o.until, id);
  return result;
}

const FREE = `(s.lease_until IS NULL OR s.lease_until <= @now OR s.lease_holder IN (SELECT value FROM json_each(@dead)))`;

export function claimDueSources(store: SqliteDb, limit: number, o: ClaimOptions, skip: readonly string[] = []): string[] {
  if (limit <= 0) return [];
  const statement = store.sqlite.prepare(
    `SELECT ${CLAIM_COLUMNS} FROM sources s
     WHERE COALESCE(s.next_fetch_at, 0) <= @now AND ${FREE} AND s.id NOT IN (SELECT value FROM json_each(@skip))
     ORDER BY COALESCE(s.next_fetch_at, 0), s.id LIMIT @n`,
  );
  const select = (dead: string) => statement.all({ now: o.now, dead, skip: JSON.stringify(skip), n: limit * 4 + 16 }) as ClaimRow[];
  return store.sqlite.transaction(() => claim(store, limit, o, true, select).picked).immediate();
}

export function claimSource(store: SqliteDb, id: string, o: ClaimOptions & { dueOnly: boolean }): ClaimRefusal | null {
  const statement = store.sqlite.prepare(`SELECT ${CLAIM_COLUMNS} FROM sources s WHERE s.id = @id AND (@dueOnly = 0 OR COALESCE(s.next_fetch_at, 0) <= @now) AND ${FREE}`);
  return store.sqlite.transaction(() => {
    const { picked, refused } = claim(store, 1, o, o.dueOnly, (dead) => statement.all({ id, dueOnly: o.dueOnly ? 1 : 0, now: o.now, dead }) as ClaimRow[]);
    if (picked.length) return null;
    // Not among the candidates: leased by a live holder, or not due.
    return refused.get(id) ?? (store.sqlite.prepare('SELECT 1 FROM sources WHERE id = ? AND lease_until > ?').get(id, o.now) ? 'leased' : 'not-due');
  }).immediate();
}

export function renewSourceLeases(store: SqliteDb, holder: string, until: number): number {
  return store.sqlite.prepare('UPDATE sources SET lease_until = ? WHERE lease_holder = ?').run(until, holder).changes;
}

export function releaseSourceLeases(store: SqliteDb, holder: string): void {
  store.sqlite.prepare('UPDATE sources SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = ?').run(holder);
}

export function releaseSource(store: SqliteDb, id: string, holder: string): void {
  store.sqlite.prepare('UPDATE sources SET lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ?').run(id, holder);
}

export function pendingEntries(store: SqliteDb, limit: number): PendingRow[] {
  return store.sqlite
    .prepare(
      `SELECT id AS entryId, source_id AS sourceId, title, summary, canonical_url AS canonicalUrl, published_at AS publishedAt,
         story_id AS storyId, pending_seq AS pendingSeq FROM entries WHERE pending_seq IS NOT NULL ORDER BY pending_seq LIMIT ?`,
    )
    .all(limit) as PendingRow[];
}

export function pendingCount(store: SqliteDb): number {
  return store.sqlite.prepare('SELECT COUNT(*) FROM entries WHERE pending_seq IS NOT NULL').pluck().get() as number;
}

export function clearPending(store: SqliteDb, rows: readonly { entryId: number; pendingSeq: number }[]): void {
  const clear = store.sqlite.prepare('UPDATE entries SET pending_seq = NULL WHERE id = ? AND pending_seq = ?');
  for (const r of rows) clear.run(r.entryId, r.pendingSeq);
}

const VERSION_KEY = 'stories_version';

export function noteStoriesChanged(store: SqliteDb): void {
  store.sqlite.prepare(`INSERT INTO store_meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`).run(VERSION_KEY);
}

export function storiesVersion(store: SqliteDb): string {
  return (store.sqlite.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(VERSION_KEY) as string | undefined) ?? '0';
}
