// The page shell: head (autodiscovery, stylesheet), site header with the feed nav, main, footer.
import type { Child } from 'hono/jsx';
import type { PublishedFormat } from '../../publish/types.ts';
import { SITE_CSS_VERSION } from './styles.ts';

/** A curated feed as the nav and the subscribe links show it. */
export interface FeedLink {
  slug: string;
  title: string;
}

/** The published formats, with their labels and the media types autodiscovery announces. */
export const FEED_FORMATS: readonly { ext: PublishedFormat; label: string; type: string }[] = [
  { ext: 'rss', label: 'RSS', type: 'application/rss+xml' },
  { ext: 'atom', label: 'Atom', type: 'application/atom+xml' },
  { ext: 'json', label: 'JSON Feed', type: 'application/feed+json' },
] as const;

/** What every page's shell needs. */
export interface LayoutProps {
  title: string;
  feeds: FeedLink[];
  /** The feed whose nav item is current; null when the page is not a feed listing. */
  currentFeed: string | null;
  /** The feed announced for autodiscovery, with the absolute origin feeds are served from. */
  alternate: { feed: FeedLink; origin: string } | null;
  description?: string;
  children?: Child;
}

/** The HTML document around a page's main content. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href={`/assets/site.css?v=${SITE_CSS_VERSION}`} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {props.alternate ? <Alternates {...props.alternate} /> : null}
      </head>
      <body>
        <a class="skip" href="#main">Skip to the stories</a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href="/">storywire</a>
            <p class="tagline">The same story from every outlet, in one place.</p>
            <FeedNav feeds={props.feeds} current={props.currentFeed} />
          </div>
        </header>
        <main id="main" class="wrap">
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <a href="/sources">Source health</a>
            <a href="/sources.opml">OPML</a>
            <a href="/api/docs">API</a>
          </div>
        </footer>
      </body>
    </html>
  );
}

function Alternates(props: { feed: FeedLink; origin: string }) {
  return (
    <>
      {FEED_FORMATS.map((f) => (
        <link rel="alternate" type={f.type} title={`${props.feed.title} (${f.label})`} href={`${props.origin}/feeds/${props.feed.slug}.${f.ext}`} />
      ))}
    </>
  );
}

function FeedNav(props: { feeds: FeedLink[]; current: string | null }) {
  const items = [{ slug: 'all', title: 'All' }, ...props.feeds];
  return (
    <nav class="feeds" aria-label="Feeds">
      <ul>
        {items.map((f) => (
          <li>
            <a href={f.slug === 'all' ? '/' : `/feeds/${f.slug}`} aria-current={f.slug === props.current ? 'page' : undefined}>
              {f.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
