// A small XML writer: every text and attribute value passes through escapeMarkup, so any input stays well-formed.
import { escapeMarkup } from '../normalize/text.ts';

/** An element with attributes (undefined/null values are left out) and element or text children. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string | null | undefined>;
  children: XmlChild[];
}

/** Text children are escaped when written; null/false children are skipped so optional parts read inline. */
export type XmlChild = XmlElement | string | null | undefined | false;

/** Builds an element. */
export function el(name: string, attrs: XmlElement['attrs'] = {}, children: XmlChild[] = []): XmlElement {
  return { name, attrs, children };
}

/** Builds an element holding only text (or nothing when the text is null). */
export function textEl(name: string, text: string | null, attrs: XmlElement['attrs'] = {}): XmlElement | null {
  return text === null ? null : el(name, attrs, [text]);
}

/** Serialises a document: UTF-8 declaration, two-space indentation, trailing newline. */
export function writeXml(root: XmlElement): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${writeElement(root, '')}\n`;
}

function writeElement(node: XmlElement, indent: string): string {
  const open = `${indent}<${node.name}${writeAttrs(node.attrs)}`;
  const children = node.children.filter((c): c is XmlElement | string => c !== null && c !== undefined && c !== false);
  if (children.length === 0) return `${open}/>`;
  // Text is written inline: indentation inside text content would change its value.
  if (children.every((c) => typeof c === 'string')) return `${open}>${children.map(escapeMarkup).join('')}</${node.name}>`;
  const inner = children.map((c) => (typeof c === 'string' ? `${indent}  ${escapeMarkup(c)}` : writeElement(c, `${indent}  `)));
  return `${open}>\n${inner.join('\n')}\n${indent}</${node.name}>`;
}

function writeAttrs(attrs: XmlElement['attrs']): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) out += ` ${name}="${escapeMarkup(value)}"`;
  }
  return out;
}
