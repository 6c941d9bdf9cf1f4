// Pictures from polled feeds (YouTube-style media:group, media:content, an image enclosure) reach the published feeds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Parser from 'rss-parser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { eachEngine } from '../helpers/engines.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { jsonFeedErrors } from '../publish/json-feed-validator.ts';

const NOW = Date.UTC(2026, 4, 20, 14);
const fixture = (name: string) => readFileSync(path.resolve('tests/fixtures/feeds', name), 'utf8');

const LIGHTHOUSE = 'Old lighthouse on the northern cape reopens to visitors';
const TRAINS = 'Regional rail line adds night trains between the two largest towns';
const LIBRARY = 'Library extends weekend opening hours after reader survey';
const APPLES = 'Community orchard plants forty heritage apple trees';

/** What each story's picture must be, in every format and in the API: url, width, height (null: no picture). */
const EXPECTED: Record<string, [string, number | null, number | null] | null> = {
  [LIGHTHOUSE]: ['https://i1.img.example/vi/lighthouse01/hqdefault.jpg?sqp=-oaymw&rs=AOn4', 480, 360],
  [TRAINS]: ['https://cdn.gazette.example/2026/05/night-train.jpg', 1200, 675],
  [LIBRARY]: null,
  [APPLES]: ['https://orchard.example/media/apples.jpg?size=large&v=2', null, null],
};

type MediaAttrs = { $: Record<string, string> };
const parser = new Parser<Record<string, unknown>, { title?: string; media?: MediaAttrs; thumbnail?: MediaAttrs }>({
  customFields: { item: [['media:content', 'media'], ['media:thumbnail', 'thumbnail']] },
});

// Media RSS attributes as [url, width, height], the form of EXPECTED.
function fromMedia(media: MediaAttrs | undefined): [string, number | null, number | null] | null {
  if (!media) return null;
  const n = (v: string | undefined) => (v === undefined ? null : Number(v));
  return [media.$.url, n(media.$.width), n(media.$.height)];
}

eachEngine('pictures in the published feeds', (ctx) => {
  let server: FixtureServer;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    server = await startFixtureServer({
      '/videos.xml': { headers: { 'Content-Type': 'application/atom+xml' }, body: fixture('media-group.atom.xml') },
      '/gazette.xml': { headers: { 'Content-Type': 'application/rss+xml' }, body: fixture('media-content.rss.xml') },
      '/orchard.xml': { headers: { 'Content-Type': 'application/rss+xml' }, body: fixture('media-enclosure.rss.xml') },
    });
  });
  afterEach(async () => {
    await runtime?.close();
    await server.close();
  });

  it('gives each story its picture in RSS, Atom, JSON Feed and the API alike', async () => {
    const config = parseConfig(
      JSON.stringify({
        sources: [
          { id: 'harbour', url: server.url('/videos.xml') },
          { id: 'gazette', url: server.url('/gazette.xml') },
          { id: 'orchard', url: server.url('/orchard.xml') },
        ],
      }),
      'feeds.json',
    );
    runtime = await openRuntime(config, await ctx.fresh(), silentLogger(), () => NOW);
    await runtime.poll();
    const app = createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime!.assigner.terms(q), publisher: runtime.publisher });
    const get = async (url: string) => (await app.request(`http://127.0.0.1:3000${url}`)).text();

    const api = JSON.parse(await get('/api/stories?limit=10')) as { stories: { title: string; image: { url: string; width: number | null; height: number | null } | null }[] };
    expect(Object.fromEntries(api.stories.map((s) => [s.title, s.image && [s.image.url, s.image.width, s.image.height]]))).toEqual(EXPECTED);

    for (const format of ['rss', 'atom'] as const) {
      const body = await get(`/feeds/all.${format}`);
      const items = (await parser.parseString(body)).items;
      expect(Object.fromEntries(items.map((i) => [i.title, fromMedia(i.media)])), format).toEqual(EXPECTED);
      expect(Object.fromEntries(items.map((i) => [i.title, fromMedia(i.thumbnail)])), format).toEqual(EXPECTED);
      // The & of a picture URL is escaped once in an attribute, and never written as an <enclosure> (no length known).
      expect(body).toContain('url="https://orchard.example/media/apples.jpg?size=large&amp;v=2"');
      expect(body).not.toContain('<enclosure');
    }

    const json = JSON.parse(await get('/feeds/all.json')) as { items: { title: string; image?: string; content_html: string }[] };
    expect(jsonFeedErrors(json)).toEqual([]);
    expect(Object.fromEntries(json.items.map((i) => [i.title, i.image ?? null]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([title, image]) => [title, image && image[0]])),
    );
    const lighthouse = json.items.find((i) => i.title === LIGHTHOUSE)!;
    expect(lighthouse.content_html).toMatch(/^<p><img alt="Old lighthouse on the northern cape reopens to visitors" width="480" height="360" src="https:\/\/i1\.img\.example\/vi\/lighthouse01\/hqdefault\.jpg\?sqp=-oaymw&amp;rs=AOn4" \/><\/p>/);
    expect(json.items.find((i) => i.title === LIBRARY)!.content_html).not.toContain('<img');
  });
});
