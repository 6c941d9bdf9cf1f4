// Reads the parser's raw values (plain strings or xml2js element objects) as text or HTML.
import type { XmlNode } from '../parse/index.ts';
import { escapeMarkup, htmlToText, collapseWhitespace } from './text.ts';

/** How a text construct is to be read: Atom's three types, which RSS and JSON Feed map onto. */
export type TextType = 'text' | 'html' | 'xhtml';

/** The first value of a node list that holds any text, or null. */
export function firstNode(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes === undefined || nodes === null ? null : nodes;
  return nodes.find((node) => nodeText(node).trim() !== '') ?? null;
}

/** Every piece of character data inside a value, in document order as far as xml2js kept it. */
export function nodeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(nodeText).join(' ');
  if (!isNode(value)) return '';
  // Inline xhtml may carry scripts and styles, whose text no reader sees.
  const children = Object.entries(value).filter(([name]) => !/^(\$|_|script|style)$/.test(name));
  return [value._ ?? '', ...children.map(([, child]) => nodeText(child))].join(' ');
}

// Atom 0.3 mode="base64", or an Atom 1.0 type that is neither text nor XML, means base64 content.
function decodedText(value: unknown): string {
  const type = nodeAttr(value, 'type') ?? '';
  const base64 = nodeAttr(value, 'mode') === 'base64' || (/\//.test(type) && !/^text\/|xml$/.test(type));
  return base64 ? Buffer.from(nodeText(value), 'base64').toString('utf8') : nodeText(value);
}

/** An attribute of an element value, or undefined for plain text. */
export function nodeAttr(value: unknown, name: string): string | undefined {
  return isNode(value) ? value.$?.[name] : undefined;
}

/** The type a text construct declares (Atom type/mode attributes, inline markup), else the fallback. */
export function textTypeOf(value: unknown, fallback: TextType): TextType {
  if (isNode(value) && hasChildElements(value)) return 'xhtml';
  const type = (nodeAttr(value, 'type') ?? '').toLowerCase();
  if (nodeAttr(value, 'mode') === 'escaped' || type === 'html' || type === 'text/html') return 'html';
  // xhtml without child elements is just (already decoded) text.
  if (type === 'text' || type === 'text/plain' || type.includes('xhtml')) return 'text';
  return fallback;
}

/** A text construct as collapsed plain text, read according to its type. */
export function readPlainText(value: unknown, fallback: TextType): string {
  const type = textTypeOf(value, fallback);
  if (type === 'html') return htmlToText(decodedText(value));
  return collapseWhitespace(decodedText(value));
}

/** A text construct as HTML: html as published, text escaped, inline markup serialised. */
export function readHtml(value: unknown, fallback: TextType): string {
  const type = textTypeOf(value, fallback);
  if (type === 'html') return decodedText(value);
  if (type === 'text') return escapeMarkup(decodedText(value));
  return serializeChildren(value as XmlNode);
}

function serializeChildren(node: XmlNode): string {
  const children = Object.entries(node).filter(([name]) => name !== '$' && name !== '_');
  // Atom wraps xhtml in a <div> that is not part of the content.
  if (node._ === undefined && children.length === 1 && children[0][0] === 'div') {
    const divs = children[0][1];
    if (Array.isArray(divs) && divs.length === 1 && isNode(divs[0])) return serializeChildren(divs[0]);
  }
  const inner = children.flatMap(([name, values]) => (Array.isArray(values) ? values : [values]).map((v) => serialize(name, v)));
  return escapeMarkup(node._ ?? '') + inner.join('');
}

function serialize(name: string, value: unknown): string {
  const attributes = isNode(value) ? Object.entries(value.$ ?? {}).map(([k, v]) => ` ${k}="${escapeMarkup(v)}"`) : [];
  const inner = isNode(value) ? serializeChildren(value) : escapeMarkup(nodeText(value));
  return `<${name}${attributes.join('')}>${inner}</${name}>`;
}

function hasChildElements(node: XmlNode): boolean {
  return Object.keys(node).some((name) => name !== '$' && name !== '_');
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
