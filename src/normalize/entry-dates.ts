// Chooses an entry's publication and update times, replacing dates we cannot trust.
import type { ParsedItem } from '../parse/index.ts';
import { parseFeedDate } from './dates.ts';
import { firstNode, nodeText } from './node-text.ts';

const FUTURE_TOLERANCE_MS = 60 * 60 * 1000;

/** The date fields of an EntryInput. */
export interface EntryDates {
  publishedAt: number;
  updatedAt: number | null;
  originalDate: string | null;
}

/** Publication time (first-seen `now` when missing, unreadable or over an hour ahead) and update time. */
export function entryDates(item: ParsedItem, now: number): EntryDates {
  const raw = rawDate([item.pubDateNodes, item.dcDateNodes, item.publishedNodes, item.issuedNodes, item.createdNodes])
    ?? rawDate(updateNodes(item));
  if (raw === null) return { publishedAt: now, updatedAt: null, originalDate: null };
  const published = parseFeedDate(raw);
  if (published === null || published > now + FUTURE_TOLERANCE_MS) return { publishedAt: now, updatedAt: null, originalDate: raw };
  return { publishedAt: published, updatedAt: updateTime(item, published, now), originalDate: null };
}

function updateTime(item: ParsedItem, published: number, now: number): number | null {
  const raw = rawDate(updateNodes(item));
  const updated = raw === null ? null : parseFeedDate(raw);
  if (updated === null || updated === published || updated > now + FUTURE_TOLERANCE_MS) return null;
  return updated;
}

function updateNodes(item: ParsedItem): unknown[] {
  return [item.updatedNodes, item.modifiedNodes, item.dcModifiedNodes];
}

// The first non-empty date text among the candidate element lists, in order of preference.
function rawDate(candidates: unknown[]): string | null {
  for (const nodes of candidates) {
    const text = nodeText(firstNode(nodes)).trim();
    if (text !== '') return text;
  }
  return null;
}
