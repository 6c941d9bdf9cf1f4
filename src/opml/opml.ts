// OPML 2.0: the sources as a subscription list, and reading a reader's export.
import { parseStringPromise } from 'xml2js';
import type { Source } from '../config/index.ts';
import { escapeMarkup } from '../normalize/text.ts';

/** The sources as an OPML 2.0 document, grouped by their first tag. */
export function renderOpml(sources: readonly Source[], titles: ReadonlyMap<string, string>, dateCreated: number): string {
  const outline = (s: Source) =>
    `      <outline type="rss" text="${escapeMarkup(titles.get(s.id) ?? s.title ?? s.id)}" title="${escapeMarkup(titles.get(s.id) ?? s.title ?? s.id)}" xmlUrl="${escapeMarkup(s.url)}"${s.tags.length ? ` category="${escapeMarkup(s.tags.join(','))}"` : ''}/>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    '    <title>storywire sources</title>',
    `    <dateCreated>${new Date(dateCreated).toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    '    <outline text="storywire" title="storywire">',
    ...sources.map(outline),
    '    </outline>',
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

/** A subscription found in an OPML document. */
export interface OpmlFeed {
  title: string | null;
  url: string;
  categories: string[];
}

/** Reads the feed outlines (those with xmlUrl) of an OPML document; enclosing folders become categories. */
export async function parseOpml(xml: string): Promise<OpmlFeed[]> {
  let doc: { opml?: { body?: { outline?: Outline[] }[] } };
  try {
    doc = await parseStringPromise(xml, { explicitArray: true });
  } catch (e) {
    throw new Error(`opml: not valid XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const body = doc?.opml?.body?.[0];
  if (!body) throw new Error('opml: no <opml><body> element');
  const feeds: OpmlFeed[] = [];
  const walk = (outlines: Outline[], folders: string[]) => {
    for (const o of outlines) {
      const a = lowerKeys(o.$ ?? {});
      if (a.xmlurl) {
        const categories = [...folders, ...(a.category ?? '').split(/[,/]/)].map((c) => c.trim()).filter(Boolean);
        feeds.push({ title: a.title ?? a.text ?? null, url: a.xmlurl, categories });
      }
      if (o.outline) walk(o.outline, a.xmlurl ? folders : [...folders, a.text ?? a.title ?? ''].filter(Boolean));
    }
  };
  walk(body.outline ?? [], []);
  return feeds;
}

interface Outline {
  $?: Record<string, string>;
  outline?: Outline[];
}

function lowerKeys(attrs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v]));
}
