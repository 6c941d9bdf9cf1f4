// The reader-visible text of an entry: title, summary, content, author, categories.
import type { FeedFormat, ParsedItem } from '../parse/index.ts';
import { firstNode, nodeAttr, nodeText, readHtml, readPlainText, type TextType } from './node-text.ts';
import { collapseWhitespace, publishableText, publishableTitle, truncateText } from './text.ts';

const SUMMARY_MAX_CHARS = 500;
const DERIVED_TITLE_MAX_CHARS = 80;

/** The text fields of an EntryInput. */
export interface EntryText {
  title: string;
  summary: string;
  content: string | null;
  author: string | null;
  categories: string[];
}

/** Reads an item's text fields; RSS text is HTML by convention, Atom and JSON Feed text is plain unless typed. */
export function entryText(item: ParsedItem, format: FeedFormat): EntryText {
  const textType = descriptionType(format);
  const contentNode = firstNode(item.encodedNodes) ?? firstNode(item.contentNodes);
  const contentType: TextType = format === 'atom' ? 'text' : 'html';
  const description = readPlainText(firstNode(item.descriptionNodes) ?? firstNode(item.summaryNodes), textType);
  const summaryText = description !== '' ? description : readPlainText(contentNode, contentType);
  const title = readPlainText(firstNode(item.titleNodes), textType);
  const content = contentNode === null ? '' : readHtml(contentNode, contentType).trim();
  // Stored as published: plain text went through collapseWhitespace (publishableText); titles are cut at TITLE_MAX_CHARS.
  return {
    title: publishableTitle(title !== '' ? title : truncateText(summaryText, DERIVED_TITLE_MAX_CHARS)),
    summary: truncateText(summaryText, SUMMARY_MAX_CHARS),
    content: content === '' ? null : publishableText(content),
    author: authorOf(item),
    categories: categoriesOf(item),
  };
}

/** The description (or Atom summary) as HTML, where an image may hide when the content has none. */
export function descriptionHtml(item: ParsedItem, format: FeedFormat): string | null {
  const node = firstNode(item.descriptionNodes) ?? firstNode(item.summaryNodes);
  return node === null ? null : readHtml(node, descriptionType(format));
}

function descriptionType(format: FeedFormat): TextType {
  return format === 'rss' || format === 'rdf' ? 'html' : 'text';
}

// dc:creator, RSS <author> or Atom <author><name>; several creators are joined.
function authorOf(item: ParsedItem): string | null {
  const nodes = item.creatorNodes ?? item.authorNodes ?? [];
  const names = nodes.map((node) => collapseWhitespace(nodeText(childOrSelf(node, 'name')))).filter((name) => name !== '');
  return names.length === 0 ? null : [...new Set(names)].join(', ');
}

// RSS <category>text</category>, Atom <category term label/>, dc:subject; first spelling wins.
function categoriesOf(item: ParsedItem): string[] {
  const nodes = [...(item.categoryNodes ?? []), ...(item.subjectNodes ?? [])];
  const seen = new Map<string, string>();
  for (const node of nodes) {
    const name = collapseWhitespace(nodeAttr(node, 'label') ?? nodeAttr(node, 'term') ?? nodeText(node));
    if (name !== '' && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

function childOrSelf(node: unknown, child: string): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const children = (node as Record<string, unknown>)[child];
  return Array.isArray(children) ? children[0] : node;
}
