import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { ResponseCache } from '../../src/server/response-cache.ts';
import { entryListSchema, sourceListSchema, storyListSchema, storySchema } from '../../src/server/schemas.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import { openStorage, type Storage as Store } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';
import { entryInput } from '../helpers/entries.ts';

const aliases = loadAliases();
const config = parseConfig(JSON.stringify({ sources: [{ id: 'alpha', url: 'https://alpha.example/feed' }] }), 'feeds.json');
eachEngine('operations', (ctx) => {
let store: Store;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  store = await ctx.open();
  await store.syncSources(config.sources);
  const r = await store.upsertEntry('alpha', entryInput({ key: 'a' }), Date.UTC(2026, 4, 20));
  if (r.kind === 'inserted') (await store.assignStory(r.id, (await store.createStory(r.id))));
  app = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (q) => normalizeForMatch(q, aliases), publisher: createPublisher(store, () => config, () => aliases), metrics: createMetrics(() => store.sizeBytes(), false) });
});

describe('OpenAPI', () => {
  it('documents every API route and its answers match the documented schemas', async () => {
    const doc = await (await app.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/stories', '/api/stories/{id}', '/api/entries', '/api/sources', '/media/{token}']));
    expect(doc.paths['/api/stories'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['q', 'source', 'tag', 'feed', 'since', 'until', 'min_sources', 'limit', 'cursor']));
    const sort = doc.paths['/api/stories'].get.parameters.find((p: any) => p.name === 'sort');
    expect(sort.schema.enum).toEqual(['newest', 'top', 'relevance']);
    expect(sort.description).toContain('top: by how widely a story is covered');
    expect(doc.paths['/api/stories'].get.description).toContain('first publication + 12 h × log2(outlets)');
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
    // A Source's history: its polls, documented field by field.
    const history = doc.components.schemas.Source.properties.history;
    expect(history.type).toBe('array');
    const fetch = history.items.$ref ? doc.components.schemas[history.items.$ref.split('/').pop()] : history.items;
    expect(Object.keys(fetch.properties)).toEqual(['fetched_at', 'outcome', 'http_status', 'error_kind', 'new_entries', 'updated_entries', 'duration_ms']);
    expect(fetch.properties.outcome.enum).toEqual(['ok', 'not_modified', 'error']);
    const stories = await (await app.request('/api/stories')).json();
    expect(storyListSchema.safeParse(stories).success).toBe(true);
    expect(storySchema.safeParse(await (await app.request(`/api/stories/${stories.stories[0].id}`)).json()).success).toBe(true);
    expect(entryListSchema.safeParse(await (await app.request('/api/entries')).json()).success).toBe(true);
    expect(sourceListSchema.safeParse(await (await app.request('/api/sources')).json()).success).toBe(true);
  });

  it('renders a readable reference page', async () => {
    const page = await (await app.request('/api/docs')).text();
    expect(page).toContain('<h2><code>GET /api/stories</code></h2>');
    expect(page).toContain('<code>min_sources</code>');
    expect(page).toContain('one of newest, top, relevance');
    expect(page).toContain('<code>sort=top</code> ranks them by outlets weighted by recency');
  });
});

describe('API caching and CORS', () => {
  it('sends an ETag and answers 304 to it, with CORS for GET', async () => {
    const first = await app.request('/api/stories', { headers: { Origin: 'https://client.example' } });
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await app.request('/api/stories', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});

describe('API compression', () => {
  it('serves gzip and br JSON that decode to the identity body, each with its own ETag matching in any encoding', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await store.upsertEntry('alpha', entryInput({ key: `more-${i}` }), Date.UTC(2026, 4, 20));
      if (r.kind === 'inserted') (await store.assignStory(r.id, (await store.createStory(r.id))));
    }
    const plain = await app.request('/api/stories');
    const identity = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(identity.length).toBeGreaterThan(1024);
    const gz = await app.request('/api/stories', { headers: { 'Accept-Encoding': 'gzip' } });
    const br = await app.request('/api/stories', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(identity);
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(identity);
    const tags = [plain, gz, br].map((r) => r.headers.get('etag')!);
    expect(new Set(tags).size).toBe(3);
    for (const r of [plain, gz, br]) expect(r.headers.get('vary')).toBe('Accept-Encoding');
    for (const tag of tags) {
      const again = await app.request('/api/stories', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': tag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(tags[2]);
    }
  });
});

describe('ResponseCache', () => {
  it('is bounded by bytes: old answers go first, and the budget is never exceeded', async () => {
    const cache = new ResponseCache(20_000);
    const cached = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (q) => normalizeForMatch(q, aliases), publisher: createPublisher(store, () => config, () => aliases), responseCache: cache });
    for (let i = 1; i <= 100; i++) expect((await cached.request(`/api/stories?limit=${i}`)).status).toBe(200);
    expect(cache.size).toBeGreaterThan(5);
    expect(cache.size).toBeLessThan(100);
    expect(cache.bytes).toBeLessThanOrEqual(20_000);
    // A hit answers like the first time.
    const again = await cached.request('/api/stories?limit=100');
    expect((await again.json()).stories).toHaveLength(1);
  });
});

describe('X-Content-Type-Options', () => {
  it('is nosniff on every answer: pages, feeds, API, errors, 404s, metrics', async () => {
    for (const path of ['/', '/stories/1', '/stories/999999', '/feeds/all.rss', '/api/stories', '/api/stories?limit=x', '/api/nope', '/nope', '/metrics', '/healthz', '/openapi.json', '/sources.opml', '/assets/site.css', '/media/aGk']) {
      const res = await app.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect((await app.request('/api/stories', { method: 'POST' })).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('GET /metrics', () => {
  it('exposes request counts by route and the database size', async () => {
    await app.request('/api/stories');
    await app.request('/api/stories/999999');
    await app.request('/api/stories', { method: 'POST' });
    await app.request('/no/such/path');
    const text = await (await app.request('/metrics')).text();
    // Requests no route handles share one label, so paths a client makes up cannot grow the label set.
    expect(text).toContain('storywire_http_requests_total{method="POST",route="unmatched",status="405"} 1');
    expect(text).toContain('storywire_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('storywire_http_requests_total{method="GET",route="/api/stories",status="200"} 1');
    expect(text).toContain('storywire_http_requests_total{method="GET",route="/api/stories/:id",status="404"} 1');
    // The database's size is measured on each engine (a file and its WAL, or pg_database_size), never a 0 placeholder.
    expect(Number(/^storywire_database_bytes (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(4096);
    expect(text).toContain('storywire_entries_created_total');
  });
});

describe('GET /metrics with STORYWIRE_METRICS_TOKEN', () => {
  const token = 'k3y-0f-at-least-16-chars';
  const env = { STORYWIRE_METRICS_TOKEN: token };

  it('is read from the environment, and a weak token is refused at start', async () => {
    expect(readEnv(env).metricsToken).toBe(token);
    expect(readEnv({}).metricsToken).toBeUndefined();
    expect(() => readEnv({ STORYWIRE_METRICS_TOKEN: 'short' })).toThrow(/STORYWIRE_METRICS_TOKEN/);
  });

  it('answers 401 without the bearer token or with a wrong one, 200 with it', async () => {
    const guarded = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (q) => normalizeForMatch(q, aliases), publisher: createPublisher(store, () => config, () => aliases), metrics: createMetrics(null, false), metricsToken: readEnv(env).metricsToken });
    const none = await guarded.request('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect((await none.json()).error.code).toBe('unauthorized');
    const wrong = await guarded.request('/metrics', { headers: { Authorization: 'Bearer not-the-right-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('storywire_');
    const right = await guarded.request('/metrics', { headers: { Authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('storywire_http_requests_total');
    // The rest of the service stays public.
    expect((await guarded.request('/healthz')).status).toBe(200);
  });
});

describe('GET /sources.opml', () => {
  it('lists the sources as OPML', async () => {
    const res = await app.request('/sources.opml');
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(await res.text()).toContain('xmlUrl="https://alpha.example/feed"');
  });
});
});

// SQLite only: backup writes a SQLite file; on PostgreSQL it names pg_dump instead (tests/store/pg-open.test.ts).
describe('backup [sqlite]', () => {
  it('writes a consistent copy that opens with the same rows, and refuses to overwrite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-backup-'));
    const file = path.join(dir, 'copy.db');
    const store = await openStorage(':memory:');
    await store.syncSources(config.sources);
    expect((await store.upsertEntry('alpha', entryInput({ key: 'a' }), Date.UTC(2026, 4, 20))).kind).toBe('inserted');
    const r = await store.backup(file);
    expect(r.pages).toBeGreaterThan(0);
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) AS n FROM entries').get()).toEqual({ n: 1 });
    copy.close();
    await expect(store.backup(file)).rejects.toThrow(/already exists/);
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
