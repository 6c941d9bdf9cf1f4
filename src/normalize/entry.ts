// Turns one parsed item into an EntryInput: the single place entries are made.
import type { EntryInput } from '../model.ts';
import type { FeedFormat, ParsedItem } from '../parse/index.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import { entryDates } from './entry-dates.ts';
import { entryImage } from './entry-image.ts';
import { descriptionHtml, entryText } from './entry-text.ts';
import { contentHash, entryKey } from './identity.ts';
import { pickLink } from './link-reader.ts';
import { resolveBase, resolveLink } from './links.ts';
import { firstNode, nodeAttr, nodeText } from './node-text.ts';

/** What every entry of one feed shares. */
export interface EntryContext {
  format: FeedFormat;
  /** The feed's effective xml:base, already resolved against the feed URL. */
  feedBase: string;
  now: number;
}

/** The EntryInput for an item, or null when it has no title, link, summary or content at all. */
export function toEntry(item: ParsedItem, context: EntryContext): EntryInput | null {
  const base = resolveBase(context.feedBase, [item.attributes?.['xml:base']]);
  const guid = guidOf(item);
  const link = pickLink(item, base) ?? permalinkGuid(item, guid, base, context.format);
  const text = entryText(item, context.format);
  if (text.title === '' && link === null && text.summary === '' && text.content === null) return null;
  const canonicalUrl = link === null ? null : canonicalizeUrl(link);
  const image = entryImage(item, { base, link, html: () => [text.content, descriptionHtml(item, context.format)] });
  const fields = { guid, canonicalUrl, link, ...text, image };
  return { ...fields, key: entryKey(fields), contentHash: contentHash(fields), ...entryDates(item, context.now) };
}

// RSS guid, Atom/JSON id, or RSS 1.0's rdf:about.
function guidOf(item: ParsedItem): string | null {
  const text = nodeText(firstNode(item.guidNodes) ?? firstNode(item.idNodes)).trim();
  if (text !== '') return text;
  return item.attributes?.['rdf:about']?.trim() || null;
}

// RSS 2.0: a guid is a permalink unless isPermaLink="false"; used when the item has no <link>.
function permalinkGuid(item: ParsedItem, guid: string | null, base: string, format: FeedFormat): string | null {
  if (guid === null || format !== 'rss') return null;
  const node = firstNode(item.guidNodes);
  if (node === null || nodeAttr(node, 'isPermaLink')?.trim().toLowerCase() === 'false') return null;
  return /^https?:\/\//i.test(guid) ? resolveLink(guid, base) : null;
}
