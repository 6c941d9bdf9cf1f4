import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { openApiDocument } from '../../src/server/openapi.ts';
import { storyListSchema } from '../../src/server/schemas.ts';
import { eachEngine } from '../helpers/engines.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const NOW = Date.UTC(2026, 4, 20, 14);

interface Item {
  guid: string;
  title: string;
  minute: number;
  media?: string;
}

const feed = (items: Item[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><link>https://outlet.example/</link>
${items.map((i) => `<item><title>${i.title}</title><link>https://outlet.example/${i.guid}</link><guid>${i.guid}</guid>
  <pubDate>Wed, 20 May 2026 12:${String(i.minute).padStart(2, '0')}:00 GMT</pubDate><description>${i.title}.</description>${i.media ?? ''}</item>`).join('\n')}
</channel></rss>`;

const BUDGET = 'Parliament approves the new national budget after a long night debate';
const STORM = 'Storm closes northern ports and halts shipping for two days';
const BUDGET_PHOTO = 'https://img.example/budget.jpg';
const STORM_HIGH = 'https://img.example/storm-high.jpg';

eachEngine('entry images in the API', (ctx) => {
  let server: FixtureServer;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    server = await startFixtureServer({
      '/high.xml': {
        body: feed([
          { guid: 'h-budget', title: BUDGET, minute: 0 },
          { guid: 'h-storm', title: STORM, minute: 10, media: `<media:content url="${STORM_HIGH}" type="image/jpeg" width="800" height="450"/>` },
        ]),
      },
      '/low.xml': {
        body: feed([
          { guid: 'l-budget', title: BUDGET, minute: 5, media: `<media:content url="${BUDGET_PHOTO}" medium="image" width="1024" height="576"/>` },
          { guid: 'l-storm', title: STORM, minute: 0, media: '<media:thumbnail url="https://img.example/storm-low.jpg"/>' },
          { guid: 'l-football', title: 'City football club signs a striker from abroad', minute: 20 },
        ]),
      },
    });
  });
  afterEach(async () => {
    await runtime?.close();
    await server.close();
  });

  it("shows each entry's image, and on a story its representative's, else its first member's that has one (no proxy address while the media proxy is off)", async () => {
    const config = parseConfig(
      JSON.stringify({ sources: [{ id: 'high', url: server.url('/high.xml'), priority: 5 }, { id: 'low', url: server.url('/low.xml') }] }),
      'feeds.json',
    );
    runtime = await openRuntime(config, await ctx.fresh(), silentLogger(), () => NOW);
    await runtime.poll();
    const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime!.assigner.terms(q), publisher: runtime.publisher });
    const body = await (await app.request('/api/stories?limit=10')).json();
    expect(storyListSchema.safeParse(body).success).toBe(true);
    type Story = { title: string; image: unknown; entries: { source_id: string; image: unknown }[] };
    const stories = new Map((body as { stories: Story[] }).stories.map((s) => [s.title, s]));
    expect([...stories.keys()].sort()).toEqual([BUDGET, 'City football club signs a striker from abroad', STORM].sort());

    // The representative (high priority) has none: the low outlet's picture stands for the story.
    const budget = stories.get(BUDGET)!;
    expect(budget.image).toEqual({ url: BUDGET_PHOTO, width: 1024, height: 576, proxy_url: null });
    expect(budget.entries.map((e) => [e.source_id, e.image])).toEqual([
      ['high', null],
      ['low', { url: BUDGET_PHOTO, width: 1024, height: 576, proxy_url: null }],
    ]);
    // The representative's picture wins over an earlier member's.
    const storm = stories.get(STORM)!;
    expect(storm.image).toEqual({ url: STORM_HIGH, width: 800, height: 450, proxy_url: null });
    expect(storm.entries.map((e) => e.source_id)).toEqual(['low', 'high']);
    expect(stories.get('City football club signs a striker from abroad')!.image).toBeNull();

    const entries = (await (await app.request('/api/entries?source=low')).json()) as { entries: { url: string; image: unknown }[] };
    expect(Object.fromEntries(entries.entries.map((e) => [e.url, e.image]))).toEqual({
      'https://outlet.example/l-budget': { url: BUDGET_PHOTO, width: 1024, height: 576, proxy_url: null },
      'https://outlet.example/l-storm': { url: 'https://img.example/storm-low.jpg', width: null, height: null, proxy_url: null },
      'https://outlet.example/l-football': null,
    });
  });
});

it('documents image on Story and Entry in the OpenAPI document', () => {
  const schemas = (openApiDocument().components as { schemas: Record<string, { properties: Record<string, { anyOf?: { properties?: object }[] }>; required: string[] }> }).schemas;
  for (const name of ['Story', 'Entry']) {
    expect(schemas[name].required).toContain('image');
    expect(Object.keys(schemas[name].properties.image.anyOf?.[0]?.properties ?? {})).toEqual(['url', 'width', 'height', 'proxy_url']);
  }
});
