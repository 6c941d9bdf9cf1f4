// Leases, source claims, the clustering queue and the stories counter on PostgreSQL, where many pollers and web
// servers share one database. Claims are made one at a time across every process (a transaction-level advisory lock):
// counting a host's live leases and taking one must not interleave, or two pollers would both see a free slot.
import { sql, type SQL } from 'drizzle-orm';
import { pickClaims, type ClaimRow } from '../claims.ts';
import type { ClaimOptions, ClaimRefusal, LeaseRow, PendingRow } from '../types.ts';
import { jsonParam } from './listing.ts';
import type { PgDb } from './open.ts';

/** The advisory lock key claims are made under: any fixed bigint, the same in every storywire process. */
const CLAIM_LOCK = 7_401_513_020_931n;

/** A row type as drizzle's execute wants it (an index signature). */
type Row<T> = T & Record<string, unknown>;

const LEASE_COLUMNS = sql.raw(`name, holder, expires_at AS "expiresAt", acquired_at AS "acquiredAt"`);
const CLAIM_COLUMNS = sql.raw(`s.id, s.url, s.permanent_redirect AS "permanentRedirect", s.next_fetch_at AS "nextFetchAt", s.lease_holder AS "leaseHolder", s.lease_until AS "leaseUntil"`);

/** Takes the named lease when free, expired, a dead holder's or already `holder`'s; returns who holds it afterwards. */
export async function acquireLease(db: PgDb, name: string, holder: string, now: number, until: number, isDead: (holder: string) => boolean): Promise<LeaseRow> {
  return db.transaction(async (tx) => {
    // Raw SQL: an insert that never waits on a row (ON CONFLICT DO NOTHING), then the row locked for the decision.
    await tx.execute(sql`INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES (${name}, ${holder}, ${until}::bigint, ${now}::bigint) ON CONFLICT (name) DO NOTHING`);
    const [row] = await tx.execute<Row<LeaseRow>>(sql`SELECT ${LEASE_COLUMNS} FROM leases WHERE name = ${name} FOR UPDATE`);
    if (row!.holder !== holder && row!.expiresAt > now && !isDead(row!.holder)) return row!;
    const acquiredAt = row!.holder === holder ? row!.acquiredAt : now;
    await tx.execute(sql`UPDATE leases SET holder = ${holder}, expires_at = ${until}::bigint, acquired_at = ${acquiredAt}::bigint WHERE name = ${name}`);
    return { name, holder, expiresAt: until, acquiredAt };
  });
}

/** Renews the lease if `holder` holds it; in a transaction, the row stays locked until it ends (a leader's fence). */
export async function renewLease(db: PgDb, name: string, holder: string, until: number): Promise<boolean> {
  const rows = await db.execute(sql`UPDATE leases SET expires_at = ${until}::bigint WHERE name = ${name} AND holder = ${holder} RETURNING 1`);
  return rows.length > 0;
}

export async function releaseLease(db: PgDb, name: string, holder: string): Promise<void> {
  await db.execute(sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`);
}

export async function lease(db: PgDb, name: string): Promise<LeaseRow | undefined> {
  const [row] = await db.execute<Row<LeaseRow>>(sql`SELECT ${LEASE_COLUMNS} FROM leases WHERE name = ${name}`);
  return row;
}

// One claim at a time across every process: reads the live leases (hosts' busy slots, dead holders), then the
// candidates `select` finds (given the dead holders, whose leases are free), picks and leases.
async function claim(tx: PgDb, limit: number, o: ClaimOptions, dueOnly: boolean, select: (dead: string) => SQL): Promise<{ picked: string[]; refused: Map<string, ClaimRefusal> }> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`);
  const leased = await tx.execute<Row<ClaimRow>>(sql`SELECT ${CLAIM_COLUMNS} FROM sources s WHERE s.lease_until > ${o.now}::bigint`);
  const dead = jsonParam([...new Set(leased.flatMap((r) => (r.leaseHolder && o.isDead(r.leaseHolder) ? [r.leaseHolder] : [])))]);
  const candidates = await tx.execute<Row<ClaimRow>>(select(dead));
  const result = pickClaims(candidates, leased, limit, o, dueOnly);
  if (result.picked.length)
    await tx.execute(sql`UPDATE sources SET lease_holder = ${o.holder}, lease_until = ${o.until}::bigint WHERE id IN (SELECT json_array_elements_text(${jsonParam(result.picked)}::json))`);
  return result;
}

/** A source nobody holds, or whose holder's lease expired, or whose holder is dead. */
function free(now: number, dead: string): SQL {
  return sql`(s.lease_until IS NULL OR s.lease_until <= ${now}::bigint OR s.lease_holder IN (SELECT json_array_elements_text(${dead}::json)))`;
}

export async function claimDueSources(db: PgDb, limit: number, o: ClaimOptions, skip: readonly string[] = []): Promise<string[]> {
  if (limit <= 0) return [];
  // SKIP LOCKED: a source whose poll is committing right now (its row locked) is not due any more; do not wait for it.
  const select = (dead: string) => sql`
    SELECT ${CLAIM_COLUMNS} FROM sources s
    WHERE COALESCE(s.next_fetch_at, 0) <= ${o.now}::bigint AND ${free(o.now, dead)}
      ${skip.length ? sql`AND s.id NOT IN (SELECT json_array_elements_text(${jsonParam(skip)}::json))` : sql``}
    ORDER BY COALESCE(s.next_fetch_at, 0), s.id LIMIT ${limit * 4 + 16}
    FOR UPDATE OF s SKIP LOCKED`;
  return db.transaction(async (tx) => (await claim(tx, limit, o, true, select)).picked);
}

export async function claimSource(db: PgDb, id: string, o: ClaimOptions & { dueOnly: boolean }): Promise<ClaimRefusal | null> {
  return db.transaction(async (tx) => {
    const select = (dead: string) => sql`
      SELECT ${CLAIM_COLUMNS} FROM sources s
      WHERE s.id = ${id} AND (${!o.dueOnly}::boolean OR COALESCE(s.next_fetch_at, 0) <= ${o.now}::bigint) AND ${free(o.now, dead)}
      FOR UPDATE OF s SKIP LOCKED`;
    const { picked, refused } = await claim(tx, 1, o, o.dueOnly, select);
    if (picked.length) return null;
    const known = refused.get(id);
    if (known) return known;
    // Not among the candidates: leased by a live holder (or its row locked by a poll committing), or not due.
    const [row] = await tx.execute<{ leased: boolean }>(sql`SELECT COALESCE(lease_until > ${o.now}::bigint, false) AS leased FROM sources WHERE id = ${id}`);
    return row?.leased || (row && !o.dueOnly) ? 'leased' : 'not-due';
  });
}

export async function renewSourceLeases(db: PgDb, holder: string, until: number): Promise<number> {
  return (await db.execute(sql`UPDATE sources SET lease_until = ${until}::bigint WHERE lease_holder = ${holder} RETURNING 1`)).length;
}

export async function releaseSourceLeases(db: PgDb, holder: string): Promise<void> {
  await db.execute(sql`UPDATE sources SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = ${holder}`);
}

export async function releaseSource(db: PgDb, id: string, holder: string): Promise<void> {
  await db.execute(sql`UPDATE sources SET lease_holder = NULL, lease_until = NULL WHERE id = ${id} AND lease_holder = ${holder}`);
}

export async function pendingEntries(db: PgDb, limit: number): Promise<PendingRow[]> {
  return db.execute<Row<PendingRow>>(sql`
    SELECT id AS "entryId", source_id AS "sourceId", title, summary, canonical_url AS "canonicalUrl", published_at AS "publishedAt",
      story_id AS "storyId", pending_seq AS "pendingSeq"
    FROM entries WHERE pending_seq IS NOT NULL ORDER BY pending_seq LIMIT ${limit}`);
}

export async function pendingCount(db: PgDb): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`SELECT COUNT(*) AS n FROM entries WHERE pending_seq IS NOT NULL`);
  return Number(row!.n);
}

export async function clearPending(db: PgDb, rows: readonly { entryId: number; pendingSeq: number }[]): Promise<void> {
  if (!rows.length) return;
  await db.execute(sql`
    UPDATE entries e SET pending_seq = NULL FROM json_to_recordset(${jsonParam(rows)}::json) AS t("entryId" int, "pendingSeq" bigint)
    WHERE e.id = t."entryId" AND e.pending_seq = t."pendingSeq"`);
}

const VERSION_KEY = 'stories_version';
/** The notification channels (LISTEN/NOTIFY) of each kind of change. */
export const CHANNELS = { stories: 'storywire_stories', pending: 'storywire_pending' } as const;

export async function noteStoriesChanged(db: PgDb): Promise<void> {
  const [row] = await db.execute<{ value: string }>(sql`
    INSERT INTO store_meta (key, value) VALUES (${VERSION_KEY}, '1')
    ON CONFLICT (key) DO UPDATE SET value = ((store_meta.value)::bigint + 1)::text RETURNING value`);
  // Delivered on commit, to every session listening: web servers drop their caches.
  await db.execute(sql`SELECT pg_notify(${CHANNELS.stories}, ${row!.value})`);
}

export async function notePending(db: PgDb): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${CHANNELS.pending}, '')`);
}

export async function storiesVersion(db: PgDb): Promise<string> {
  const [row] = await db.execute<{ value: string }>(sql`SELECT value FROM store_meta WHERE key = ${VERSION_KEY}`);
  return row?.value ?? '0';
}
