// Picks the one link that points at the item's (or feed's) web page among the parser's link nodes.
import type { XmlValue } from '../parse/index.ts';
import { resolveLink } from './links.ts';
import { nodeAttr, nodeText } from './node-text.ts';

/** The link nodes of an item or feed, as the custom fields carry them. */
export interface LinkNodes {
  linkNodes?: XmlValue[];
  atomLinkNodes?: XmlValue[];
}

/** The first web page link: RSS <link> text, else an Atom-style rel="alternate" (or rel-less) link. */
export function pickLink(nodes: LinkNodes, base: string): string | null {
  for (const node of nodes.linkNodes ?? []) {
    const link = textLink(node, base) ?? alternateLink(node, base);
    if (link !== null) return link;
  }
  for (const node of nodes.atomLinkNodes ?? []) {
    const link = alternateLink(node, base);
    if (link !== null) return link;
  }
  return null;
}

// RSS: <link>http://...</link>, sometimes with attributes (then xml2js gives { _: text }).
function textLink(node: XmlValue, base: string): string | null {
  const text = nodeAttr(node, 'href') === undefined ? nodeText(node) : '';
  return text.trim() === '' ? null : resolveLink(text, base);
}

// Atom: <link rel="alternate" href="..."/>; a missing rel means alternate. The link may carry its own xml:base.
function alternateLink(node: XmlValue, base: string): string | null {
  const href = nodeAttr(node, 'href');
  const rel = (nodeAttr(node, 'rel') ?? 'alternate').trim().toLowerCase();
  if (href === undefined || rel !== 'alternate') return null;
  const ownBase = nodeAttr(node, 'xml:base');
  return resolveLink(href, ownBase ? (resolveLink(ownBase, base) ?? base) : base);
}
