// Fixed stories and feed metadata for the publish tests and golden files.
import type { FeedMeta, PublishedEntry, PublishedStory } from '../../src/publish/types.ts';

/** Feed metadata for `all` at the given origin. */
export function feedMeta(over: Partial<FeedMeta> = {}): FeedMeta {
  return {
    slug: 'all',
    title: 'Storywire: all stories',
    description: 'Every story, once, with every outlet that covered it.',
    baseUrl: 'https://news.example',
    language: 'en',
    websubHub: 'https://hub.example/',
    generator: 'storywire/0.1.0',
    ...over,
  };
}

/** An entry with sensible defaults; override what the test is about. */
export function entry(over: Partial<PublishedEntry> & { entryId: number; sourceId: string }): PublishedEntry {
  return {
    sourceTitle: over.sourceId.toUpperCase(),
    sourceFeedUrl: `https://${over.sourceId}.example/feed.xml`,
    sourceSiteUrl: `https://${over.sourceId}.example/`,
    title: `Headline ${over.entryId}`,
    url: `https://${over.sourceId}.example/news/${over.entryId}`,
    summary: `Summary ${over.entryId}`,
    contentHtml: null,
    author: null,
    publishedAt: Date.UTC(2026, 4, 20, 12),
    ...over,
  };
}

const T = (h: number, m = 0) => Date.UTC(2026, 4, 20, h, m);

/** Three outlets: BBC first, then Reuters and Le Monde. */
export const WIDE_STORY: PublishedStory = {
  id: 101,
  title: 'Zelenskyy meets EU leaders in Kyiv',
  url: 'https://bbc.example/news/world-101',
  summary: 'Talks focused on reconstruction funding & air defence.',
  publishedAt: T(9),
  updatedAt: T(11, 30),
  tags: ['world', 'europe'],
  representative: entry({
    entryId: 1, sourceId: 'bbc', sourceTitle: 'BBC News - World', title: 'Zelenskyy meets EU leaders in Kyiv',
    url: 'https://bbc.example/news/world-101', summary: 'Talks focused on reconstruction funding & air defence.', publishedAt: T(9),
  }),
  others: [
    entry({ entryId: 2, sourceId: 'reuters', sourceTitle: 'Reuters', title: 'EU leaders visit Kyiv for talks with Zelensky', publishedAt: T(9, 40) }),
    entry({ entryId: 3, sourceId: 'lemonde', sourceTitle: 'Le Monde', sourceSiteUrl: null, title: 'Les dirigeants européens à Kiev', url: '/international/article/3', publishedAt: T(11, 30) }),
  ],
  image: { url: 'https://bbc.example/images/kyiv.jpg?w=976&h=549', width: 976, height: 549 },
};

/** One outlet, with a byline and no tags. */
export const SINGLE_STORY: PublishedStory = {
  id: 102,
  title: 'Central bank holds rates',
  url: 'https://ft.example/content/102',
  summary: 'The bank kept its main rate at 4%.',
  publishedAt: T(8),
  updatedAt: T(8),
  tags: [],
  representative: entry({
    entryId: 4, sourceId: 'ft', sourceTitle: 'Financial Times', title: 'Central bank holds rates',
    url: 'https://ft.example/content/102', summary: 'The bank kept its main rate at 4%.', author: 'Jane Doe', publishedAt: T(8),
  }),
  others: [],
  image: null,
};

/** Everything a hostile or broken source can send: controls, markup, entities, emoji, RTL, relative and javascript: links. */
export const HOSTILE_STORY: PublishedStory = {
  id: 103,
  title: 'ignored: the representative title wins',
  url: null,
  summary: 'Tom & Jerry\u0000 say <b>hi</b><script>alert("x")</script> \uFFFE\uD800 to \u202Bمرحبا بالعالم\u202C 😀 <img src=x onerror=alert(1)> &amp; more',
  publishedAt: T(7),
  updatedAt: T(7, 5),
  tags: ['world', 'a&b <tag>'],
  representative: entry({
    entryId: 5, sourceId: 'hostile', sourceTitle: 'Hostile <i>Daily</i> & Co\u0007',
    title: 'Q&A:\u0001 <script>alert(1)</script> שלום 😀 "quoted" > less',
    url: '/politics/budget vote?x=1&y=2', author: '<b>Mallory</b>\u0008', publishedAt: T(7),
  }),
  others: [
    entry({ entryId: 6, sourceId: 'evil', sourceTitle: 'Evil <svg onload=alert(1)>Outlet</svg>', title: 'Click <a href="javascript:alert(1)">me</a>', url: 'javascript:alert(1)', publishedAt: T(7, 5) }),
  ],
  image: null,
};

/** The golden set, newest first as the caller sorts them. */
export const GOLDEN_STORIES: PublishedStory[] = [WIDE_STORY, SINGLE_STORY, HOSTILE_STORY];
