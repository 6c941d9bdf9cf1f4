// Opaque keyset cursors: the position of the last item of a page.
import type { Keyset } from '../store/index.ts';
import { ApiError } from './errors.ts';

/** Encodes a keyset position as an opaque string. */
export function encodeCursor(k: Keyset): string {
  return Buffer.from(`v1:${k.publishedAt}:${k.id}`).toString('base64url');
}

/** Decodes a cursor; a malformed one is the client's error (400). */
export function decodeCursor(cursor: string): Keyset {
  const m = /^v1:(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'invalid_parameter', 'cursor: not a cursor this API returned');
  return { publishedAt: Number(m[1]), id: Number(m[2]) };
}

/** Splits rows fetched with `limit + 1` into the page and the cursor of the next page (null on the last page). */
export function paginate<T extends { publishedAt: number; id: number }>(rows: T[], limit: number): { items: T[]; next: string | null } {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: encodeCursor({ publishedAt: last.publishedAt, id: last.id }) };
}

/** Encodes a position in a relevance-ranked list (an offset: ranks move as entries arrive). */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(`r1:${offset}`).toString('base64url');
}

/** Decodes a relevance cursor; a malformed one is the client's error (400). */
export function decodeOffsetCursor(cursor: string): number {
  const m = /^r1:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'invalid_parameter', 'cursor: not a cursor this API returned for sort=relevance');
  return Number(m[1]);
}
