// Opaque cursors: the position of the last item of a page, in the order of the list that returned it. Each order
// has its own prefix, so a cursor sent with another sort is a clear 400 rather than a page of the wrong list.
import type { Keyset, TopKeyset } from '../store/index.ts';
import { ApiError } from './errors.ts';

/** The lists a cursor can page: stories and entries newest first, stories top first, a relevance ranking. */
type CursorSort = 'newest' | 'top' | 'relevance';

const PREFIX: Record<CursorSort, string> = { newest: 'v1', top: 't1', relevance: 'r1' };

/** Encodes a keyset position in a newest-first list as an opaque string. */
export function encodeCursor(k: Keyset): string {
  return encode('newest', `${k.publishedAt}:${k.id}`);
}

/** Decodes a newest-first cursor; a malformed one, or one of another sort, is the client's error (400). */
export function decodeCursor(cursor: string): Keyset {
  const [key, id] = decodeKeyset(cursor, 'newest');
  return { publishedAt: key, id };
}

/** Encodes a keyset position in a top-first list of stories. */
export function encodeTopCursor(k: TopKeyset): string {
  return encode('top', `${k.topAt}:${k.id}`);
}

/** Decodes a top-first cursor; a malformed one, or one of another sort, is the client's error (400). */
export function decodeTopCursor(cursor: string): TopKeyset {
  const [key, id] = decodeKeyset(cursor, 'top');
  return { topAt: key, id };
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
  return encode('relevance', String(offset));
}

/** Decodes a relevance cursor; a malformed one, or one of another sort, is the client's error (400). */
export function decodeOffsetCursor(cursor: string): number {
  const m = /^(\d{1,9})$/.exec(payload(cursor, 'relevance'));
  if (!m) throw invalid('relevance');
  return Number(m[1]);
}

function encode(sort: CursorSort, position: string): string {
  return Buffer.from(`${PREFIX[sort]}:${position}`).toString('base64url');
}

const MAX_ID = 2 ** 31 - 1;

function decodeKeyset(cursor: string, sort: 'newest' | 'top'): [number, number] {
  const m = /^(-?\d{1,16}):(\d{1,10})$/.exec(payload(cursor, sort));
  // Ids are 32-bit integers in both engines (PostgreSQL would fail on a larger one); keys are safe integers.
  if (!m || Number(m[2]) > MAX_ID || !Number.isSafeInteger(Number(m[1]))) throw invalid(sort);
  return [Number(m[1]), Number(m[2])];
}

// The position a cursor of `sort` holds; a cursor of another sort is named as such.
function payload(cursor: string, sort: CursorSort): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = text.slice(0, 3);
  if (prefix === `${PREFIX[sort]}:`) return text.slice(3);
  const other = (Object.keys(PREFIX) as CursorSort[]).find((s) => prefix === `${PREFIX[s]}:`);
  if (other) throw new ApiError(400, 'invalid_parameter', `cursor: a cursor of sort=${other}, not of this list (sort=${sort}); send it with the sort that returned it, or leave it out to start from the first page`);
  throw invalid(sort);
}

function invalid(sort: CursorSort): ApiError {
  return new ApiError(400, 'invalid_parameter', `cursor: not a cursor this API returned${sort === 'newest' ? '' : ` for sort=${sort}`}`);
}
