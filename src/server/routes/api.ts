// The JSON API: /api/stories, /api/stories/:id, /api/entries, /api/sources.
import { Hono, type Context } from 'hono';
import { scanPage, type StoryFilter, type StoryRow } from '../../store/index.ts';
import { feedFilter, feedRules, groupByStory, selectStories, selectTopStories, sourcesWithTags, storyReader, storyText, withEntries as withStoryEntries } from '../../publish/select.ts';
import type { Config } from '../../config/index.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError, feedSlugs, listForMessage } from '../errors.ts';
import { decodeCursor, decodeOffsetCursor, decodeTopCursor, encodeCursor, encodeOffsetCursor, encodeTopCursor, paginate } from '../cursor.ts';
import { mediaProxyUrl } from '../../publish/images.ts';
import { entryJson, historyJson, sourceJson, storyJson, type MediaLink } from '../json.ts';
import { entryQuery, parseId, parseQuery, storyQuery } from '../params.ts';

/** Routes of the JSON API. */
export function apiRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/stories', async (c) => {
    const q = parseQuery(storyQuery, c.req.query());
    const config = deps.config();
    const rules = q.feed !== undefined ? feedRules(config, q.feed) : null;
    if (q.feed !== undefined && !rules) throw new ApiError(400, 'invalid_parameter', `feed: no feed ${JSON.stringify(q.feed)}; feeds: ${feedSlugs(config)}`);
    checkSources(config, q.source);
    checkTags(config, q.tag);
    const fromFeed = rules ? feedFilter(config, rules, (deps.now ?? Date.now)()) : {};
    const filter = {
      ...fromFeed,
      coveredBy: [...(fromFeed.coveredBy ?? []), ...(q.source ? [q.source] : []), ...(q.tag ? [sourcesWithTags(config, q.tag)] : [])],
      terms: q.q !== undefined ? deps.searchTerms(q.q) : undefined,
      since: Math.max(q.since ?? -Infinity, fromFeed.since ?? -Infinity),
      until: q.until,
      minSources: Math.max(q.min_sources ?? 1, fromFeed.minSources ?? 1),
    };
    if (filter.since === -Infinity) delete (filter as { since?: number }).since;
    const matcher = rules ? deps.publisher.matcherFor(rules) : null;
    const media = mediaLink(deps, c);
    if (q.sort === 'relevance') {
      if (!filter.terms) throw new ApiError(400, 'invalid_parameter', 'sort: "relevance" needs a search query q');
      const page = await rankedPage(deps, { ...filter, terms: filter.terms }, matcher, q.limit, q.cursor ? decodeOffsetCursor(q.cursor) : 0);
      return c.json({ stories: page.items.map((i) => storyJson(i.story, i.entries, media)), next_cursor: page.next === null ? null : encodeOffsetCursor(page.next) });
    }
    if (q.sort === 'top') {
      const page = await selectTopStories(storyReader(deps.store), filter, matcher, q.limit, q.cursor ? decodeTopCursor(q.cursor) : null);
      return c.json({ stories: page.items.map((i) => storyJson(i.story, i.entries, media)), next_cursor: page.next ? encodeTopCursor(page.next) : null });
    }
    const page = await selectStories(storyReader(deps.store), filter, matcher, q.limit, q.cursor ? decodeCursor(q.cursor) : null);
    return c.json({ stories: page.items.map((i) => storyJson(i.story, i.entries, media)), next_cursor: page.next ? encodeCursor(page.next) : null });
  });

  app.get('/stories/:id', async (c) => {
    const id = parseId(c.req.param('id'), 'story');
    const story = await deps.store.storyById(id);
    if (!story) throw new ApiError(404, 'not_found', `story ${id} not found`);
    return c.json((await withEntries(deps, [story], mediaLink(deps, c)))[0]);
  });

  app.get('/entries', async (c) => {
    const q = parseQuery(entryQuery, c.req.query());
    checkSources(deps.config(), q.source);
    const rows = await deps.store.listEntries({ sourceIds: q.source, terms: q.q !== undefined ? deps.searchTerms(q.q) : undefined, since: q.since, until: q.until, after: q.cursor ? decodeCursor(q.cursor) : null, limit: q.limit + 1 });
    const page = paginate(rows, q.limit);
    const media = mediaLink(deps, c);
    return c.json({ entries: page.items.map((e) => entryJson(e, media)), next_cursor: page.next });
  });

  app.get('/sources', async (c) => {
    const rows = new Map((await deps.store.sourceStates()).map((r) => [r.id, r]));
    const config = deps.config();
    // Only the listed sources' history: a source removed from feeds.json keeps its rows but is not shown.
    const history = await deps.store.fetchHistory(config.sources.map((s) => s.id));
    return c.json({ sources: config.sources.map((s) => ({ ...sourceJson(s, rows.get(s.id)), history: historyJson(history.get(s.id) ?? []) })) });
  });

  return app;
}

// An unknown id in a filter is a mistake (a typo selects nothing silently), like an unknown feed.
function checkSources(config: Config, ids: string[] | undefined): void {
  const known = new Set(config.sources.map((s) => s.id));
  const unknown = (ids ?? []).filter((id) => !known.has(id));
  if (unknown.length) throw new ApiError(400, 'invalid_parameter', `source: no source ${unknown.map((id) => JSON.stringify(id.slice(0, 64))).join(', ')}; sources: ${listForMessage([...known])} (see /api/sources)`);
}

function checkTags(config: Config, tags: string[] | undefined): void {
  const known = new Set(config.sources.flatMap((s) => s.tags));
  const unknown = (tags ?? []).filter((t) => !known.has(t));
  if (unknown.length) throw new ApiError(400, 'invalid_parameter', `tag: no source has the tag ${unknown.map((t) => JSON.stringify(t.slice(0, 64))).join(', ')}; tags: ${listForMessage([...known].sort()) || 'none'}`);
}

async function withEntries(deps: AppDeps, stories: StoryRow[], media: MediaLink) {
  const byStory = groupByStory(await deps.store.entriesOfStories(stories.map((s) => s.id)));
  return stories.map((s) => storyJson(s, byStory.get(s.id) ?? [], media));
}

/** Pictures' addresses on the media proxy while it is on (settings.mediaProxy), under publicUrl or the request's origin. */
function mediaLink(deps: AppDeps, c: Context): MediaLink {
  const settings = deps.config().settings;
  if (!settings.mediaProxy) return null;
  const base = settings.publicUrl ?? new URL(c.req.url).origin;
  return (imageUrl) => mediaProxyUrl(base, imageUrl);
}

// Relevance pages advance by offset in the ranked list; feed terms filter each batch, so the offset counts what was scanned.
function rankedPage(deps: AppDeps, filter: Omit<StoryFilter, 'after' | 'limit'> & { terms: string[] }, matcher: ((t: string) => boolean) | null, limit: number, offset: number) {
  const reader = storyReader(deps.store);
  return scanPage(
    offset,
    limit,
    async (position, size) => withStoryEntries(reader, await deps.store.rankStories({ ...filter, limit: size, offset: position })),
    (position) => position + 1,
    matcher && ((item) => matcher(storyText(item.entries))),
  );
}

