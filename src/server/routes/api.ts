// The JSON API: /api/stories, /api/stories/:id, /api/entries, /api/sources.
import { Hono } from 'hono';
import { entriesOfStories, listEntries, listStories, sourceStates, storyById, type EntryRow, type StoryRow } from '../../store/index.ts';
import type { Config } from '../../config/index.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { decodeCursor, paginate } from '../cursor.ts';
import { entryJson, sourceJson, storyJson } from '../json.ts';
import { entryQuery, parseId, parseQuery, storyQuery } from '../params.ts';

/** Routes of the JSON API. */
export function apiRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/stories', (c) => {
    const q = parseQuery(storyQuery, c.req.query());
    const config = deps.config();
    const rows = listStories(deps.store, {
      sourceIds: q.source,
      terms: q.q !== undefined ? deps.searchTerms(q.q) : undefined,
      tagSourceIds: q.tag ? sourcesWithTags(config, q.tag) : undefined,
      since: q.since,
      until: q.until,
      minSources: q.min_sources,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: q.limit + 1,
    });
    const page = paginate(rows, q.limit);
    return c.json({ stories: withEntries(deps, page.items), next_cursor: page.next });
  });

  app.get('/stories/:id', (c) => {
    const id = parseId(c.req.param('id'), 'story');
    const story = storyById(deps.store, id);
    if (!story) throw new ApiError(404, 'not_found', `story ${id} not found`);
    return c.json(withEntries(deps, [story])[0]);
  });

  app.get('/entries', (c) => {
    const q = parseQuery(entryQuery, c.req.query());
    const rows = listEntries(deps.store, { sourceIds: q.source, terms: q.q !== undefined ? deps.searchTerms(q.q) : undefined, since: q.since, until: q.until, after: q.cursor ? decodeCursor(q.cursor) : null, limit: q.limit + 1 });
    const page = paginate(rows, q.limit);
    return c.json({ entries: page.items.map(entryJson), next_cursor: page.next });
  });

  app.get('/sources', (c) => {
    const rows = new Map(sourceStates(deps.store).map((r) => [r.id, r]));
    return c.json({ sources: deps.config().sources.map((s) => sourceJson(s, rows.get(s.id))) });
  });

  return app;
}

function withEntries(deps: AppDeps, stories: StoryRow[]) {
  const byStory = new Map<number, EntryRow[]>();
  for (const e of entriesOfStories(deps.store, stories.map((s) => s.id))) {
    const list = byStory.get(e.storyId!) ?? [];
    list.push(e);
    byStory.set(e.storyId!, list);
  }
  return stories.map((s) => storyJson(s, byStory.get(s.id) ?? []));
}

function sourcesWithTags(config: Config, tags: string[]): string[] {
  return config.sources.filter((s) => s.tags.some((t) => tags.includes(t))).map((s) => s.id);
}
