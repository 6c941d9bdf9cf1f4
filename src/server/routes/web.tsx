// The web pages: / and /feeds/:slug (story listings), /stories/:id, /sources, and their stylesheet.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { Config } from '../../config/index.ts';
import { publishableText, publishableTitle } from '../../normalize/text.ts';
import { feedRules, feedFilter, selectStories, selectTopStories, storyReader, type StoryReader, type StoryWithEntries } from '../../publish/select.ts';
import type { Keyset, StoryFilter, StoryOrder, TopKeyset } from '../../store/index.ts';
import { decodeCursor, decodeTopCursor, encodeCursor, encodeTopCursor } from '../cursor.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { chooseEncoding, compress } from '../representation.ts';
import { parseId } from '../params.ts';
import { ErrorPage } from '../views/error-page.tsx';
import { FeedPage, type PollHealth } from '../views/feed-page.tsx';
import type { FeedLink } from '../views/layout.tsx';
import { SourcesPage, type SourceHealth } from '../views/sources-page.tsx';
import { StoryPage } from '../views/story-page.tsx';
import type { PageImage, StoryView, ViewContext } from '../views/stories.tsx';
import { mediaToken, storyImage } from '../../publish/images.ts';
import { FAVICON_SVG, SITE_CSS, SITE_CSS_VERSION } from '../views/styles.ts';

const PAGE_SIZE = 30;
const MAX_QUERY = 500;
const MAX_CURSOR = 200;
/** Pages shorter than this are sent uncompressed. */
const MIN_COMPRESS_CHARS = 1024;

/**
 * Headers of every HTML page: no scripts at all, styles from this origin only, never framed (nosniff is on every
 * answer, see headers.ts). Images: this origin, plus exactly the origins of the outlets' pictures the page shows
 * (none when the media proxy serves them from here); see pageHeaders.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy([]),
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
};

function contentSecurityPolicy(imageOrigins: readonly string[]): string {
  return `default-src 'none'; style-src 'self'; img-src ${["'self'", ...imageOrigins].join(' ')}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

/** The page headers for a page showing `images`: their origins, when not this one, join img-src. */
export function pageHeaders(images: readonly (PageImage | null | undefined)[]): Record<string, string> {
  const origins = new Set<string>();
  for (const image of images) {
    // A relative src (the media proxy's /media/...) is this origin.
    const origin = image && /^https?:/i.test(image.src) ? cspOrigin(image.src) : null;
    if (origin !== null) origins.add(origin);
  }
  return { ...PAGE_HEADERS, 'Content-Security-Policy': contentSecurityPolicy([...origins].sort()) };
}

// A CSP host-source naming one host: letters, digits, hyphens and dots (punycode), an optional port.
const ONE_HOST_ORIGIN = /^https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d+)?$/;

/**
 * The origin of an absolute picture URL as img-src may name it, or null. URL.origin keeps "*", ";", "," and quotes in
 * a host, so a feed's "http://*\/x.jpg" would allow every host, and "http://a;b/" split the directive.
 */
function cspOrigin(url: string): string | null {
  const origin = URL.canParse(url) ? new URL(url).origin : '';
  return ONE_HOST_ORIGIN.test(origin) ? origin : null;
}

/** Routes of the server-rendered pages; mount at "/". */
export function webRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ApiError) return sendPage(c, <ErrorPage feeds={feedLinks(deps.config())} status={err.status} message={err.message} />, err.status);
    deps.log.error({ err, path: c.req.path }, 'http.unhandled_error');
    return sendPage(c, <ErrorPage feeds={feedLinks(deps.config())} status={500} message="The error has been logged. Please try again in a moment." />, 500);
  });

  app.get('/', (c) => listing(c, deps, 'all', '/'));
  // No dot in the slug: /feeds/<slug>.rss|.atom|.json are the feed documents (routes/feeds.ts).
  app.get('/feeds/:slug{[^/.]+}', (c) => {
    const slug = c.req.param('slug');
    if (slug === 'all') return c.redirect(`/${new URL(c.req.url).search}`, 301);
    return listing(c, deps, slug, `/feeds/${slug}`);
  });
  app.get('/stories/:id', (c) => storyPage(c, deps));
  app.get('/sources', (c) => sourcesPage(c, deps));
  app.get('/assets/site.css', (c) => {
    const versioned = c.req.query('v') === SITE_CSS_VERSION;
    return c.body(SITE_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    });
  });
  app.get('/favicon.svg', (c) => c.body(FAVICON_SVG, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }));
  return app;
}

async function listing(c: Context, deps: AppDeps, slug: string, path: string) {
  const config = deps.config();
  const rules = feedRules(config, slug);
  if (!rules) throw new ApiError(404, 'not_found', `There is no feed called “${slug.slice(0, 64)}”. Pick one of the feeds above.`);
  const { q, order, cursor } = pageQuery(c, rules.sort);
  const now = clock(deps);
  const filter = { ...feedFilter(config, rules, now), terms: q ? deps.searchTerms(q) : undefined };
  const page = await listingPage(storyReader(deps.store), filter, deps.publisher.matcherFor(rules), order, cursor);
  const ctx = await viewContext(deps, config, now, page.items.flatMap((i) => i.entries.map((e) => e.sourceId)));
  const health = !page.items.length && !q && cursor === null ? await pollHealth(deps, config) : undefined;
  const feed = slug === 'all' ? { slug, title: 'All stories', description: null } : { slug, title: rules.title, description: rules.description };
  const stories = page.items.map((item) => publishableView(item, config));
  return sendPage(
    c,
    <FeedPage
      feeds={feedLinks(config)}
      feed={feed}
      origin={origin(c, config)}
      path={path}
      q={q}
      order={{ current: order, byDefault: rules.sort }}
      stories={stories}
      next={page.next}
      paged={cursor !== null}
      ctx={ctx}
      pollHealth={health}
    />,
    200,
    stories.map((s) => s.image),
  );
}

/** Failing sources and the next poll, for the empty first page (enabled sources only). */
async function pollHealth(deps: AppDeps, config: Config): Promise<PollHealth> {
  const rows = new Map((await deps.store.sourceStates()).map((r) => [r.id, r]));
  const enabled = config.sources.filter((s) => s.enabled);
  const next = enabled.map((s) => rows.get(s.id)?.nextFetchAt ?? null);
  return {
    failing: enabled.filter((s) => rows.get(s.id)?.status === 'error').length,
    sources: enabled.length,
    nextPollAt: next.length && next.every((n) => n !== null) ? Math.min(...(next as number[])) : null,
  };
}

/**
 * The listing's query: `q` (search), `sort` (latest or top; the feed's own order when absent) and `cursor` (the next
 * page, decoded once the order is known); bad values are a friendly 400.
 */
function pageQuery(c: Context, byDefault: StoryOrder): { q: string | null; order: StoryOrder; cursor: string | null } {
  const q = c.req.query('q')?.trim() ?? '';
  if (q.length > MAX_QUERY) throw new ApiError(400, 'invalid_parameter', `A search can be at most ${MAX_QUERY} characters long; this one has ${q.length}.`);
  const sort = c.req.query('sort') || byDefault;
  if (sort !== 'newest' && sort !== 'top') throw new ApiError(400, 'invalid_parameter', 'Stories can be listed latest first or top first only. Pick “Latest” or “Top” above the list.');
  const cursor = c.req.query('cursor') || null;
  if (cursor !== null && cursor.length > MAX_CURSOR) throw badCursor();
  return { q: q || null, order: sort, cursor };
}

// A page of the listing in `order` from the position `cursor` names, and the cursor of the page after it.
async function listingPage(reader: StoryReader, filter: Omit<StoryFilter, 'limit' | 'after'>, matcher: ((text: string) => boolean) | null, order: StoryOrder, cursor: string | null): Promise<{ items: StoryWithEntries[]; next: string | null }> {
  if (order === 'top') {
    const page = await selectTopStories(reader, filter, matcher, PAGE_SIZE, cursor === null ? null : decodeWith(decodeTopCursor, cursor));
    return { items: page.items, next: page.next && encodeTopCursor(page.next) };
  }
  const page = await selectStories(reader, filter, matcher, PAGE_SIZE, cursor === null ? null : decodeWith(decodeCursor, cursor));
  return { items: page.items, next: page.next && encodeCursor(page.next) };
}

// A damaged cursor, or one of the other order (a link kept from before the switch), is a 400 page that offers the
// first page of the list.
function decodeWith<K extends Keyset | TopKeyset>(decode: (cursor: string) => K, cursor: string): K {
  try {
    return decode(cursor);
  } catch {
    throw badCursor();
  }
}

function badCursor(): ApiError {
  return new ApiError(400, 'invalid_parameter', 'The link to more stories is out of date or damaged. Start again from the first page.');
}

async function storyPage(c: Context, deps: AppDeps) {
  const id = parseId(c.req.param('id') ?? '', 'story');
  const story = await deps.store.storyById(id);
  if (!story) throw new ApiError(404, 'not_found', `There is no story number ${id}. It may have been merged into another story.`);
  const config = deps.config();
  const entries = await deps.store.entriesOfStories([id]);
  const item = publishableView({ story, entries }, config);
  const ctx = await viewContext(deps, config, clock(deps), entries.map((e) => e.sourceId));
  return sendPage(c, <StoryPage feeds={feedLinks(config)} origin={origin(c, config)} item={item} ctx={ctx} />, 200, [item.image]);
}

async function sourcesPage(c: Context, deps: AppDeps) {
  const config = deps.config();
  const rows = new Map((await deps.store.sourceStates()).map((r) => [r.id, r]));
  const history = await deps.store.fetchHistory(config.sources.map((s) => s.id));
  const sources: SourceHealth[] = config.sources.map((s) => {
    const row = rows.get(s.id);
    return {
      id: s.id,
      title: s.title ?? row?.feedTitle ?? s.id,
      url: s.url,
      status: s.enabled ? (row?.status ?? 'new') : 'disabled',
      lastFetchedAt: row?.lastFetchedAt ?? null,
      lastSuccessAt: row?.lastSuccessAt ?? null,
      lastError: row?.lastError ?? null,
      lastErrorKind: row?.lastErrorKind ?? null,
      lastHttpStatus: row?.lastHttpStatus ?? null,
      consecutiveFailures: row?.consecutiveFailures ?? 0,
      nextFetchAt: row?.nextFetchAt ?? null,
      entriesCount: row?.entriesCount ?? 0,
      history: history.get(s.id) ?? [],
    };
  });
  return sendPage(c, <SourcesPage feeds={feedLinks(config)} origin={origin(c, config)} sources={sources} now={clock(deps)} />);
}

/** Renders a page as an HTML document with the page security headers (allowing the pictures in `images`). */
async function sendPage(c: Context, node: JSX.Element, status: ContentfulStatusCode = 200, images: readonly (PageImage | null | undefined)[] = []): Promise<Response> {
  // Our templates carry no control or bidi override characters, so whatever remains came from data or the request.
  const body = publishableText(`<!doctype html>${(await node).toString()}`);
  const headers = pageHeaders(images);
  // Pages change with every poll and are not cached, so each is compressed as it is sent (small ones are not worth it).
  const encoding = c.req.method === 'HEAD' || body.length < MIN_COMPRESS_CHARS ? null : chooseEncoding(c.req.header('accept-encoding') ?? '');
  if (encoding === null) return c.html(body, status, { ...headers, Vary: 'Accept-Encoding' });
  const compressed = await compress(Buffer.from(body, 'utf8'), encoding);
  return c.body(new Uint8Array(compressed), status, { ...headers, 'Content-Type': 'text/html; charset=UTF-8', 'Content-Encoding': encoding, Vary: 'Accept-Encoding' });
}

/**
 * A story with titles cut as published everywhere (the page as a whole is cleaned in sendPage), and its picture:
 * from the outlet, or with the media proxy on, from this origin (a relative address, so img-src 'self' covers it
 * whatever host the page was asked for).
 */
function publishableView(item: StoryView, config: Config): StoryView {
  const image = storyImage(item.story, item.entries);
  // Without the proxy, a picture whose origin img-src cannot name (see cspOrigin) would be blocked: none is shown.
  const src = image && (config.settings.mediaProxy ? `/media/${mediaToken(image.url)}` : cspOrigin(image.url) && image.url);
  return {
    story: { ...item.story, title: publishableTitle(item.story.title) },
    entries: item.entries.map((e) => ({ ...e, title: publishableTitle(e.title) })),
    image: image && src ? { src, width: image.width, height: image.height } : null,
  };
}

function feedLinks(config: Config): FeedLink[] {
  return config.feeds.map((f) => ({ slug: f.slug, title: f.title }));
}

// The names of the sources a page shows (`sourceIds`) are read before it renders: feeds.json's title, else the feed's own.
async function viewContext(deps: AppDeps, config: Config, now: number, sourceIds: readonly string[]): Promise<ViewContext> {
  const names = new Map<string, string>();
  for (const id of new Set(sourceIds)) names.set(id, config.sources.find((s) => s.id === id)?.title ?? (await deps.store.sourceState(id))?.feedTitle ?? id);
  return {
    now,
    sourceName(id) {
      let name = names.get(id);
      if (name === undefined) {
        name = config.sources.find((s) => s.id === id)?.title ?? id;
        names.set(id, name);
      }
      return name;
    },
  };
}

/** Where feeds are served from, for autodiscovery links (absolute, as feed readers expect). */
function origin(c: Context, config: Config): string {
  return (config.settings.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

function clock(deps: AppDeps): number {
  return (deps.now ?? Date.now)();
}
