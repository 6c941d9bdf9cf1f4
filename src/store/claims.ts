// Which sources a poller may claim, decided the same way on both engines: the engines read the rows (one claim at a
// time across every process, see claimDueSources) and write the leases; this module picks.
import type { ClaimOptions, ClaimRefusal } from './types.ts';

/** A source as a claim sees it. */
export interface ClaimRow {
  id: string;
  url: string;
  permanentRedirect: string | null;
  nextFetchAt: number | null;
  leaseHolder: string | null;
  leaseUntil: number | null;
}

/**
 * The host a source is fetched from (host and port, lower case), for per-host politeness: its permanent redirect's
 * once moved. Ports count as hosts of their own, as the in-process limiter counts them (src/lib/limiter.ts).
 */
export function fetchHost(row: Pick<ClaimRow, 'url' | 'permanentRedirect'>): string {
  const url = row.permanentRedirect ?? row.url;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/** True when a row's lease is held by a live holder at `o.now` (an expired lease, or a dead holder's, is free). */
export function leasedByOther(row: Pick<ClaimRow, 'leaseHolder' | 'leaseUntil'>, o: Pick<ClaimOptions, 'now' | 'isDead' | 'holder'>): boolean {
  return row.leaseHolder !== null && row.leaseUntil !== null && row.leaseUntil > o.now && row.leaseHolder !== o.holder && !o.isDead(row.leaseHolder);
}

/**
 * Picks, from `candidates` in order of preference, up to `limit` sources to claim: each free, due (unless `dueOnly` is
 * false) and on a host with fewer than `o.perHost` live leases, counting `leased` (every source leased now, any holder)
 * and the ones picked. Returns the ids picked, and why each other candidate was not.
 */
export function pickClaims(candidates: readonly ClaimRow[], leased: readonly ClaimRow[], limit: number, o: ClaimOptions, dueOnly: boolean): { picked: string[]; refused: Map<string, ClaimRefusal> } {
  const busy = new Map<string, number>();
  for (const row of leased) {
    if (!leasedByOther(row, o) && row.leaseHolder !== o.holder) continue;
    const host = fetchHost(row);
    busy.set(host, (busy.get(host) ?? 0) + 1);
  }
  const picked: string[] = [];
  const refused = new Map<string, ClaimRefusal>();
  for (const row of candidates) {
    if (picked.length >= limit) break;
    if (leasedByOther(row, o) || (row.leaseHolder === o.holder && row.leaseUntil !== null && row.leaseUntil > o.now)) {
      refused.set(row.id, 'leased');
      continue;
    }
    if (dueOnly && (row.nextFetchAt ?? 0) > o.now) {
      refused.set(row.id, 'not-due');
      continue;
    }
    const host = fetchHost(row);
    const n = busy.get(host) ?? 0;
    if (n >= o.perHost) {
      refused.set(row.id, 'host-busy');
      continue;
    }
    busy.set(host, n + 1);
    picked.push(row.id);
  }
  return { picked, refused };
}
