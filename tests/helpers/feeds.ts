// Hand-written feed documents for pipeline tests.

/** An item of an RSS test feed. */
export interface TestItem {
  title: string;
  link: string;
  guid?: string;
  description?: string;
  pubDate?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 document with the given items. */
export function rss(title: string, items: TestItem[]): string {
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link>${i.guid ? `<guid>${esc(i.guid)}</guid>` : ''}` +
        `<pubDate>${i.pubDate ?? 'Wed, 20 May 2026 12:00:00 GMT'}</pubDate><description>${esc(i.description ?? '')}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>https://outlet.example/</link><description>test</description>\n${body}\n</channel></rss>`;
}
