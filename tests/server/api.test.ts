import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';

const aliases = loadAliases();
import type { Storage as Store } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const T = Date.UTC(2026, 4, 20, 12);
const config = parseConfig(
  JSON.stringify({
    sources: [
      { id: 'alpha', url: 'https://alpha.example/feed', tags: ['europe'] },
      { id: 'beta', url: 'https://beta.example/feed', tags: ['asia'] },
      { id: 'off', url: 'https://off.example/feed', enabled: false },
    ],
  }),
  'feeds.json',
);
eachEngine('HTTP API', (ctx) => {
let store: Store;
let app: ReturnType<typeof createApp>;

async function addEntry(sourceId: string, key: string, publishedAt: number, storyId?: number, title = `Headline ${key}`): Promise<number> {
  const r = await store.upsertEntry(sourceId, entryInput({ key, publishedAt, title }), T);
  if (r.kind !== 'inserted') throw new Error('insert failed');
  await store.indexForSearch(r.id, normalizeForMatch(`${title} Summary of ${key}`, aliases));
  const story = storyId ?? (await store.createStory(r.id));
  await store.assignStory(r.id, story);
  await store.refreshStory(story, T);
  return story;
}

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
}

beforeEach(async () => {
  store = await ctx.open();
  await store.syncSources(config.sources);
  app = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (text) => normalizeForMatch(text, aliases), publisher: createPublisher(store, () => config, () => aliases) });
});

describe('GET /healthz', () => {
  it('answers ok once the database is open', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('GET /api/stories', () => {
  it('lists stories newest first with their entries in the contract shape', async () => {
    const s1 = await addEntry('alpha', 'one', T);
    await addEntry('beta', 'two', T + 1000, s1);
    await addEntry('beta', 'three', T + 5000);
    const { status, body } = await get('/api/stories');
    expect(status).toBe(200);
    expect(body.next_cursor).toBeNull();
    expect(body.stories.map((s: any) => s.title)).toEqual(['Headline three', 'Headline one']);
    const story = body.stories[1];
    expect(story).toMatchObject({ id: s1, url: 'https://news.example/one', sources_count: 2, published_at: '2026-05-20T12:00:00Z' });
    expect(story.entries.map((e: any) => [e.source_id, e.title, e.url])).toEqual([
      ['alpha', 'Headline one', 'https://news.example/one'],
      ['beta', 'Headline two', 'https://news.example/two'],
    ]);
    expect(Object.keys(story.entries[0])).toEqual(expect.arrayContaining(['id', 'source_id', 'title', 'url', 'summary', 'published_at']));
  });

  it('pages with an opaque cursor without skipping or repeating', async () => {
    for (let i = 0; i < 7; i++) await addEntry('alpha', `k${i}`, T + (i % 3) * 1000);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await get(`/api/stories?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...body.stories.map((s: any) => s.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('filters by source, tag, time and minimum sources', async () => {
    const shared = await addEntry('alpha', 'a', T);
    await addEntry('beta', 'b', T, shared);
    await addEntry('beta', 'c', T + 86_400_000);
    const ids = async (q: string) => (await get(`/api/stories?${q}`)).body.stories.map((s: any) => s.id);
    expect(await ids('min_sources=2')).toEqual([shared]);
    expect(await ids('source=alpha')).toEqual([shared]);
    expect(await ids('tag=asia')).toHaveLength(2);
    expect(await ids(`since=${new Date(T + 3600_000).toISOString()}`)).toHaveLength(1);
    expect(await ids(`until=${new Date(T + 3600_000).toISOString()}`)).toEqual([shared]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['since=yesterday', 'since'],
    ['cursor=garbage', 'cursor'],
    ['min_sources=-1', 'min_sources'],
  ])('rejects %s with a 400 naming the parameter', async (query, param) => {
    const { status, body } = await get(`/api/stories?${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain(param);
  });

  it.each([
    ['/api/stories?source=alpha,nope', /^source: no source "nope"; sources: alpha, beta, off/],
    ['/api/stories?tag=asia,mars', /^tag: no source has the tag "mars"; tags: asia, europe$/],
    ['/api/stories?feed=nope', /^feed: no feed "nope"; feeds: all$/],
    ['/api/entries?source=nope', /^source: no source "nope"/],
  ])('rejects an unknown source, tag or feed like %s with a 400 naming what exists', async (path, message) => {
    await addEntry('alpha', 'a', T);
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_parameter', message: expect.stringMatching(message) });
  });

  it('says what a limit is', async () => {
    for (const path of ['/api/stories?limit=abc', '/api/entries?limit=2.5']) {
      const { status, body } = await get(path);
      expect(status).toBe(400);
      expect(body.error.message).toBe('limit: must be an integer from 1 to 100 (the page size; default 20)');
    }
  });

  it('treats an empty or blank q as no search', async () => {
    await addEntry('alpha', 'a', T);
    await addEntry('beta', 'b', T + 1000);
    for (const path of ['/api/stories?q=', '/api/stories?q=%20%20']) expect((await get(path)).body.stories).toHaveLength(2);
    expect((await get('/api/entries?q=')).body.entries).toHaveLength(2);
  });

  it('answers one story by id and 404 for unknown ones', async () => {
    const id = await addEntry('alpha', 'x', T);
    expect((await get(`/api/stories/${id}`)).body).toMatchObject({ id, title: 'Headline x', entries: [{ source_id: 'alpha' }] });
    expect(await get('/api/stories/999999')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await get('/api/stories/abc')).status).toBe(404);
  });
});

describe('GET /api/entries and /api/sources', () => {
  it('lists entries filtered by source', async () => {
    await addEntry('alpha', 'a', T);
    await addEntry('beta', 'b', T + 1);
    const { body } = await get('/api/entries?source=beta');
    expect(body.entries.map((e: any) => e.title)).toEqual(['Headline b']);
    expect(body.next_cursor).toBeNull();
  });

  it('reports every configured source with its health', async () => {
    await addEntry('alpha', 'a', T);
    await store.recordFailure('beta', { at: T, kind: 'timeout', message: 'fetch: timed out after 20000 ms', httpStatus: null, nextFetchAt: T + 60_000, permanentRedirect: null });
    const { body } = await get('/api/sources');
    const by = Object.fromEntries(body.sources.map((s: any) => [s.id, s]));
    expect(by.alpha).toMatchObject({ status: 'new', entries_count: 1, consecutive_failures: 0 });
    expect(by.beta).toMatchObject({ status: 'error', last_error: 'fetch: timed out after 20000 ms', last_error_kind: 'timeout', consecutive_failures: 1, next_fetch_at: '2026-05-20T12:01:00Z' });
    expect(by.off.status).toBe('disabled');
    for (const s of body.sources) expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'title', 'url', 'status', 'last_fetched_at', 'last_success_at', 'last_error', 'consecutive_failures', 'next_fetch_at', 'entries_count']));
  });

  it("adds each source's recent polls, oldest first", async () => {
    await store.recordSuccess('alpha', { at: T, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: T + 60_000, permanentRedirect: null, newEntries: 4, updatedEntries: 1, durationMs: 230 });
    await store.recordSuccess('alpha', { at: T + 60_000, httpStatus: 304, etag: null, lastModified: null, nextFetchAt: T + 120_000, permanentRedirect: null, notModified: true, durationMs: 12 });
    await store.recordFailure('beta', { at: T, kind: 'http-error', message: 'fetch: HTTP 502', httpStatus: 502, nextFetchAt: T + 60_000, permanentRedirect: null, durationMs: 40 });
    const { body } = await get('/api/sources');
    const by = Object.fromEntries(body.sources.map((s: any) => [s.id, s]));
    expect(by.alpha.history).toEqual([
      { fetched_at: '2026-05-20T12:00:00Z', outcome: 'ok', http_status: 200, error_kind: null, new_entries: 4, updated_entries: 1, duration_ms: 230 },
      { fetched_at: '2026-05-20T12:01:00Z', outcome: 'not_modified', http_status: 304, error_kind: null, new_entries: 0, updated_entries: 0, duration_ms: 12 },
    ]);
    expect(by.beta.history).toEqual([{ fetched_at: '2026-05-20T12:00:00Z', outcome: 'error', http_status: 502, error_kind: 'http-error', new_entries: 0, updated_entries: 0, duration_ms: 40 }]);
    // The fields of the contract are unchanged beside it.
    expect(by.beta).toMatchObject({ status: 'error', last_error: 'fetch: HTTP 502', consecutive_failures: 1 });
    expect(by.off.history).toEqual([]);
  });

  it('answers unknown routes with a JSON 404 pointing to routes that exist', async () => {
    const res = await get('/api/nope');
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const hinted = [...res.body.error.message.matchAll(/(\/[\w/.]*)/g)].map((m) => m[1]).filter((p: string) => p !== '/api/nope');
    expect(hinted.length).toBeGreaterThan(0);
    for (const path of hinted) expect((await app.request(path)).status).toBe(200);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s on a GET route with 405 and Allow', async (method) => {
    for (const path of ['/api/stories', '/api/stories/1', '/api/sources', '/feeds/all.rss', '/', '/stories/1', '/healthz']) {
      const res = await app.request(path, { method, body: method === 'DELETE' ? undefined : '{}' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect((await res.json()).error.code).toBe('method_not_allowed');
    }
    // A path nothing answers stays a 404 whatever the method.
    expect((await app.request('/nope', { method })).status).toBe(404);
  });
});

describe('published URLs', () => {
  it('are the same normalised, percent-encoded URL in the API, every feed format and the story page', async () => {
    const raw = 'https://news.example/a b?x="><script>alert(1)</script>#frag#2';
    const r = await store.upsertEntry('alpha', entryInput({ key: 'hostile', link: raw }), T);
    if (r.kind !== 'inserted') throw new Error('insert');
    const id = await store.createStory(r.id);
    await store.assignStory(r.id, id);
    await store.refreshStory(id, T);
    const expected = 'https://news.example/a%20b?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E#frag%232';
    const story = (await get(`/api/stories/${id}`)).body;
    expect(story.url).toBe(expected);
    expect(story.entries[0].url).toBe(expected);
    expect((await get('/api/stories')).body.stories[0].url).toBe(expected);
    expect((await get('/api/entries')).body.entries[0].url).toBe(expected);
    const feed = await (await app.request('/feeds/all.json')).json();
    expect(feed.items[0].url).toBe(expected);
    const escapedInXml = expected.replaceAll('&', '&amp;');
    expect(await (await app.request('/feeds/all.rss')).text()).toContain(`<link>${escapedInXml}</link>`);
    expect(await (await app.request('/feeds/all.atom')).text()).toContain(`href="${escapedInXml}"`);
    expect(await (await app.request(`/stories/${id}`)).text()).toContain(`href="${expected}"`);
  });
});

describe('times', () => {
  it('are written one way in the API, the feeds and the pages: RFC 3339 UTC, whole seconds', async () => {
    const r = await store.upsertEntry('alpha', entryInput({ key: 'ms', publishedAt: T + 1_234 }), T);
    if (r.kind !== 'inserted') throw new Error('insert');
    const id = await store.createStory(r.id);
    await store.assignStory(r.id, id);
    await store.refreshStory(id, T + 61_999);
    const story = (await get(`/api/stories/${id}`)).body;
    expect(story.entries[0].published_at).toBe('2026-05-20T12:00:01Z');
    const item = (await (await app.request('/feeds/all.json')).json()).items[0];
    expect([item.date_published, item.date_modified]).toEqual([story.published_at, story.updated_at]);
    expect(await (await app.request(`/stories/${id}`)).text()).toContain(`datetime="${story.published_at}"`);
  });
});

describe('hostile text already stored', () => {
  const BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
  // Written straight to the store, as entries stored before normalisation cleaned text would be.
  const title = `Evil\u0000\u0007 \u202Egnp.exe\u2066 ${'long '.repeat(40_000)}end`;
  let id: number;
  beforeEach(async () => {
    const r = await store.upsertEntry('alpha', { ...entryInput({ key: 'hostile', summary: 'Sum\u0001mary \u202Dtext' }), title, author: 'By\u001Bline', categories: ['t\u0085ag'] }, T);
    if (r.kind !== 'inserted') throw new Error('insert');
    id = await store.createStory(r.id);
    await store.assignStory(r.id, id);
    await store.refreshStory(id, T);
  });

  const checkTitle = (published: string) => {
    expect(published.startsWith('Evil gnp.exe long long')).toBe(true);
    expect([...published].length).toBeLessThanOrEqual(1001);
    expect(published.endsWith('…')).toBe(true);
  };

  it('is cleaned and cut in API answers', async () => {
    const raw = await (await app.request(`/api/stories/${id}`)).text();
    expect(raw).not.toMatch(/\\u00[01][0-9a-f]|\\u007f|\\u008[0-9a-f]|\\u009[0-9a-f]/i);
    const story = JSON.parse(raw);
    expect(JSON.stringify(story)).not.toMatch(BAD);
    checkTitle(story.title);
    checkTitle(story.entries[0].title);
    expect(story.entries[0]).toMatchObject({ summary: 'Summary text', author: 'Byline', categories: ['tag'] });
    const list = await (await app.request('/api/entries')).json();
    checkTitle(list.entries[0].title);
  });

  it.each(['rss', 'atom', 'json'])('is cleaned and cut in the %s feed', async (format) => {
    const body = await (await app.request(`/feeds/all.${format}`)).text();
    expect(body).not.toMatch(BAD);
    expect(body.length).toBeLessThan(10_000);
    if (format === 'json') checkTitle(JSON.parse(body).items[0].title);
    else checkTitle(/<title(?: type="text")?>(Evil[^<]*)<\/title>/.exec(body)![1]);
  });

  it('is cleaned and cut on the story page and the home page', async () => {
    for (const path of [`/stories/${id}`, '/']) {
      const page = await (await app.request(path)).text();
      expect(page).not.toMatch(BAD);
      expect(page).toContain('Evil gnp.exe long');
      expect(page.length).toBeLessThan(20_000);
    }
  });
});

describe('search (q)', () => {
  beforeEach(async () => {
    await addEntry('alpha', 'z1', T, undefined, 'Zelenskyy calls for direct talks');
    await addEntry('beta', 'k1', T + 1000, undefined, 'Shelling reported near Kiev overnight');
    await addEntry('beta', 'p1', T + 2000, undefined, 'Putin meets Xi in Beijing');
  });

  it('finds name variants and transliterations', async () => {
    const titles = async (q: string) => (await get(`/api/stories?q=${encodeURIComponent(q)}`)).body.stories.map((s: any) => s.title);
    expect(await titles('Zelensky')).toEqual(['Zelenskyy calls for direct talks']);
    expect(await titles('Kyiv')).toEqual(['Shelling reported near Kiev overnight']);
    expect(await titles('xi beijing')).toEqual(['Putin meets Xi in Beijing']);
    expect(await titles('talk')).toEqual(['Zelenskyy calls for direct talks']);
  });

  it('searches entries too', async () => {
    const { body } = await get('/api/entries?q=zelenskiy');
    expect(body.entries.map((e: any) => e.title)).toEqual(['Zelenskyy calls for direct talks']);
  });

  it.each(['"', '*', 'NEAR(a b)', 'a OR', '"unbalanced', 'title:x', '-', '^', '()', 'AND', 'x'.repeat(500), '💥', ''])(
    'never fails on the hostile query %j',
    async (q) => {
      const res = await get(`/api/stories?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.stories)).toBe(true);
    },
  );

  it('ranks by relevance on request, with its own cursor', async () => {
    await addEntry('alpha', 'r1', T - 1000, undefined, 'Talks, talks and more talks: the talks about talks');
    const newest = (await get('/api/stories?q=talks')).body.stories.map((s: any) => s.title);
    expect(newest).toEqual(['Zelenskyy calls for direct talks', 'Talks, talks and more talks: the talks about talks']);
    const first = await get('/api/stories?q=talks&sort=relevance&limit=1');
    expect(first.body.stories.map((s: any) => s.title)).toEqual(['Talks, talks and more talks: the talks about talks']);
    const second = await get(`/api/stories?q=talks&sort=relevance&limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.stories.map((s: any) => s.title)).toEqual(['Zelenskyy calls for direct talks']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('refuses sort=relevance without q, and a keyset cursor in a ranked list', async () => {
    expect((await get('/api/stories?sort=relevance')).body.error.message).toMatch(/^sort: /);
    const keyset = (await get('/api/stories?limit=1')).body.next_cursor;
    expect((await get(`/api/stories?q=talk&sort=relevance&cursor=${keyset}`)).status).toBe(400);
    expect((await get('/api/stories?sort=random')).status).toBe(400);
  });

  it('rejects a 10 KB query with a 400', async () => {
    const res = await get(`/api/stories?q=${'a'.repeat(10_000)}`);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter' } } });
  });
});
});
