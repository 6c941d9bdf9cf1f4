// Atom 1.0 writer: text-typed titles, html-typed content, the outlet as the entry's author, the picture as Media RSS.
import { toFeedView, type FeedView } from './feed-view.ts';
import { mediaElements, MEDIA_RSS_NS } from './media.ts';
import type { ItemView } from './item-view.ts';
import { FALLBACK_TIME, rfc3339 } from './timestamps.ts';
import type { FeedMeta, PublishedStory } from './types.ts';
import { el, textEl, writeXml, type XmlElement } from './xml-writer.ts';

/** Renders stories as an Atom 1.0 document that the W3C validator accepts without warnings. */
export function renderAtom(meta: FeedMeta, stories: PublishedStory[]): string {
  const feed = toFeedView(meta, stories, 'atom');
  return writeXml(
    el('feed', { xmlns: 'http://www.w3.org/2005/Atom', 'xmlns:media': MEDIA_RSS_NS, 'xml:lang': feed.language }, [
      textEl('id', feed.id),
      textEl('title', feed.title, { type: 'text' }),
      feed.description && textEl('subtitle', feed.description, { type: 'text' }),
      // <updated> is required; an empty feed reports a fixed time rather than "now", so renders stay pure.
      textEl('updated', rfc3339(feed.updatedAt ?? FALLBACK_TIME)),
      el('link', { rel: 'self', type: 'application/atom+xml', href: feed.selfUrl }),
      el('link', { rel: 'alternate', type: 'text/html', href: feed.pageUrl }),
      feed.hub && el('link', { rel: 'hub', href: feed.hub }),
      generator(feed),
      ...distinctUpdated(feed.items).map((updated, i) => atomEntry(feed.items[i], updated)),
    ]),
  );
}

function generator(feed: FeedView): XmlElement | null {
  const m = /^(.+)\/([^/\s]+)$/.exec(feed.generator);
  return m ? textEl('generator', m[1], { version: m[2] }) : textEl('generator', feed.generator);
}

// The validator warns when two entries share an <updated> value, which stories changed in the same poll do.
// Later duplicates get a fraction of a second (.001, .002, ...): still within the true second, and distinct.
function distinctUpdated(items: ItemView[]): string[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const plain = rfc3339(item.updatedAt);
    const n = seen.get(plain) ?? 0;
    seen.set(plain, n + 1);
    return n === 0 ? plain : plain.replace(/Z$/, `.${String(n).padStart(3, '0')}Z`);
  });
}

function atomEntry(item: ItemView, updated: string): XmlElement {
  const outlet = item.outlet;
  return el('entry', {}, [
    textEl('id', item.id),
    // Typed text: the `feed` package's type="html" would make readers decode "&lt;" in a headline as markup.
    textEl('title', item.title, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: item.link }),
    textEl('published', rfc3339(item.publishedAt)),
    textEl('updated', updated),
    el('author', {}, [textEl('name', outlet.name), textEl('uri', outlet.siteUrl)]),
    ...item.tags.map((t) => el('category', { term: t })),
    item.contentHtml ? textEl('content', item.contentHtml, { type: 'html' }) : null,
    // Media RSS, as YouTube's Atom feeds carry pictures, rather than link rel="enclosure": an enclosure is a download
    // for podcast-style clients, and RFC 4287 says it SHOULD give the length, which storywire does not know.
    ...mediaElements(item.image),
    // No atom:source: the validator requires its <updated>, the source feed's own time, which we do not keep;
    // the outlet as author (name + site) is the attribution instead.
  ]);
}
