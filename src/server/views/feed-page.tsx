// A listing page (/ and /feeds/:slug): search, subscribe links, the Latest / Top switch, the stories and the link to
// the next page.
import { TOP_DOUBLING_MS, type StoryOrder } from '../../store/index.ts';
import { shortTime, relativeTime } from './format.ts';
import { FEED_FORMATS, Layout, type FeedLink } from './layout.tsx';
import { StoryList, type StoryView, type ViewContext } from './stories.tsx';

/** Everything a listing page shows. */
export interface FeedPageProps {
  feeds: FeedLink[];
  feed: FeedLink & { description: string | null };
  origin: string;
  /** Where this listing lives: "/" or "/feeds/<slug>". */
  path: string;
  q: string | null;
  /** The order shown, and the feed's own (the one its plain address shows). */
  order: { current: StoryOrder; byDefault: StoryOrder };
  stories: StoryView[];
  /** Cursor of the next page (in the order shown), or null on the last page. */
  next: string | null;
  /** True when this is not the first page. */
  paged: boolean;
  ctx: ViewContext;
  /** Polling health, given when the first page has no stories, to explain why. */
  pollHealth?: PollHealth;
}

/** Why a listing may still be empty: failing sources, or a next poll that is a while away. */
export interface PollHealth {
  /** Enabled sources whose last poll failed. */
  failing: number;
  /** Enabled sources. */
  sources: number;
  /** The earliest next poll of an enabled source, or null when one has never been polled (so it is due now). */
  nextPollAt: number | null;
}

/** The stories of a feed, latest or top first. */
export function FeedPage(p: FeedPageProps) {
  const isAll = p.feed.slug === 'all';
  const top = p.order.current === 'top';
  const heading = isAll ? (top ? 'Top stories' : 'Latest stories') : p.feed.title;
  const title = `${p.q ? `“${p.q}” · ` : ''}${isAll ? `storywire: ${top ? 'top' : 'latest'} stories` : `${p.feed.title}${top ? ' (top)' : ''} · storywire`}`;
  const href = (over: { q?: string | null; order?: StoryOrder; cursor?: string | null } = {}) => listingHref(p.path, p.order.byDefault, { q: p.q, order: p.order.current, cursor: null, ...over });
  return (
    <Layout title={title} description={p.feed.description ?? undefined} feeds={p.feeds} currentFeed={p.feed.slug} alternate={{ feed: p.feed, origin: p.origin }}>
      <h1>{heading}</h1>
      <p class="lede">{p.feed.description ?? (top ? TOP_LEDE : 'Every story storywire has seen, newest first, with each outlet that covered it.')}</p>
      <OrderSwitch current={p.order.current} href={(order) => href({ order })} />
      <div class="toolbar">
        <SearchForm action={p.path} q={p.q} sort={p.order.current === p.order.byDefault ? null : p.order.current} />
        <Subscribe slug={p.feed.slug} />
      </div>
      {p.q ? (
        <p class="notice">
          Stories matching <strong>“{p.q}”</strong>. <a href={href({ q: null })}>Clear the search</a>
        </p>
      ) : null}
      {!p.stories.length && !p.q && !p.paged && p.pollHealth ? (
        <EmptyListing health={p.pollHealth} now={p.ctx.now} />
      ) : (
        <StoryList stories={p.stories} ctx={p.ctx} empty={p.q ? 'No story matches this search. Try fewer or different words.' : p.paged ? 'No older stories.' : 'No stories yet. They appear here after the next poll.'} />
      )}
      <Pager top={top} first={href()} next={p.next && href({ cursor: p.next })} paged={p.paged} />
    </Layout>
  );
}

const TOP_LEDE = `Every story storywire has seen, the most widely covered first: each doubling of the outlets counts as ${TOP_DOUBLING_MS / 3_600_000} hours newer.`;

/** The address of a listing: its search, its order when not the feed's own, and the page. */
function listingHref(path: string, byDefault: StoryOrder, at: { q: string | null; order: StoryOrder; cursor: string | null }): string {
  const params = new URLSearchParams();
  if (at.q) params.set('q', at.q);
  if (at.order !== byDefault) params.set('sort', at.order);
  if (at.cursor) params.set('cursor', at.cursor);
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

// Links, not a form: each order has its own address, served without any script; the shown one is marked current.
function OrderSwitch(props: { current: StoryOrder; href: (order: StoryOrder) => string }) {
  const orders: [StoryOrder, string][] = [
    ['newest', 'Latest'],
    ['top', 'Top'],
  ];
  return (
    <nav class="order" aria-label="Order of the stories">
      {orders.map(([order, label]) => (
        <a href={props.href(order)} aria-current={order === props.current ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

// No stories yet: say whether sources are failing (with the way to /sources) and, when it is a while away, when the
// next poll is, instead of promising stories that may never come.
function EmptyListing(props: { health: PollHealth; now: number }) {
  const { failing, sources, nextPollAt } = props.health;
  const later = nextPollAt !== null && nextPollAt - props.now > 2 * 60_000;
  const next = later ? (
    <>
      {' '}
      The next poll is {relativeTime(nextPollAt, props.now)}, at <time datetime={new Date(nextPollAt).toISOString()}>{shortTime(nextPollAt, props.now)}</time>.
    </>
  ) : null;
  if (failing > 0)
    return (
      <p class="empty">
        No stories yet: {failing === sources ? (sources === 1 ? 'the only source is' : `all ${sources} sources are`) : `${failing} of ${sources} sources ${failing === 1 ? 'is' : 'are'}`} failing. <a href="/sources">See which and why</a>.
        {next}
      </p>
    );
  return <p class="empty">{later ? <>No stories yet.{next}</> : 'No stories yet. They appear here after the next poll.'}</p>;
}

function SearchForm(props: { action: string; q: string | null; sort: StoryOrder | null }) {
  return (
    <form class="search" role="search" action={props.action} method="get">
      {props.sort ? <input type="hidden" name="sort" value={props.sort} /> : null}
      <label for="q" class="visually-hidden">
        Search stories
      </label>
      <input type="search" id="q" name="q" value={props.q ?? ''} placeholder="Search stories" maxlength={500} autocomplete="off" />
      <button type="submit">Search</button>
    </form>
  );
}

function Subscribe(props: { slug: string }) {
  return (
    <p class="subscribe">
      Subscribe:
      {FEED_FORMATS.map((f) => (
        <a href={`/feeds/${props.slug}.${f.ext}`} type={f.type}>
          {f.label}
        </a>
      ))}
    </p>
  );
}

function Pager(props: { top: boolean; first: string; next: string | null; paged: boolean }) {
  if (!props.next && !props.paged) return null;
  return (
    <nav class="pager" aria-label="More stories">
      {props.paged ? <a href={props.first}>{props.top ? '← Top stories' : '← Latest stories'}</a> : <span />}
      {props.next ? (
        <a href={props.next} rel="next">
          {props.top ? 'More stories →' : 'Older stories →'}
        </a>
      ) : null}
    </nav>
  );
}
