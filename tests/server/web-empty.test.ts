// The home page before the first story: it says why it is empty (failing sources, next poll) instead of a promise.
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import type { Storage as Store } from '../../src/store/index.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import { eachEngine } from '../helpers/engines.ts';

const aliases = loadAliases();
const NOW = Date.UTC(2026, 4, 20, 12);
const config = parseConfig(
  JSON.stringify({
    sources: [
      { id: 'alpha', url: 'https://alpha.example/feed' },
      { id: 'beta', url: 'https://beta.example/feed' },
      { id: 'gamma', url: 'https://gamma.example/feed' },
      { id: 'off', url: 'https://off.example/feed', enabled: false },
    ],
  }),
  'feeds.json',
);
eachEngine('the empty home page', (ctx) => {
let store: Store;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  store = await ctx.open();
  await store.syncSources(config.sources);
  app = createApp({ store, config: () => config, log: silentLogger(), searchTerms: (t) => normalizeForMatch(t, aliases), publisher: createPublisher(store, () => config, () => aliases), now: () => NOW });
});

/** The text of the empty-state paragraph, tags removed. */
async function emptyState(path = '/'): Promise<{ text: string; html: string }> {
  const html = await (await app.request(path)).text();
  const p = /<p class="empty">(.*?)<\/p>/s.exec(html)?.[1] ?? '';
  return { html: p, text: p.replace(/<[^>]+>/g, '') };
}

const fail = async (id: string, nextFetchAt: number) => (await store.recordFailure(id, { at: NOW - 60_000, kind: 'network', message: 'fetch: connection refused', httpStatus: null, nextFetchAt, permanentRedirect: null }));
const succeed = async (id: string, nextFetchAt: number) => (await store.recordSuccess(id, { at: NOW - 60_000, httpStatus: 200, etag: null, lastModified: null, nextFetchAt, permanentRedirect: null }));

describe('the empty home page', () => {
  it('promises the next poll when nothing has been polled yet', async () => {
    expect((await emptyState()).text).toBe('No stories yet. They appear here after the next poll.');
  });

  it('says how many sources are failing and links to /sources', async () => {
    await fail('alpha', NOW + 60_000);
    await succeed('beta', NOW + 60_000);
    await fail('gamma', NOW + 60_000);
    const { text, html } = await emptyState();
    expect(text).toBe('No stories yet: 2 of 3 sources are failing. See which and why.');
    expect(html).toContain('<a href="/sources">See which and why</a>');
  });

  it('says when the next poll is when it is a while away', async () => {
    await succeed('alpha', NOW + 14 * 60_000);
    await succeed('beta', NOW + 20 * 60_000);
    await fail('gamma', NOW + 45 * 60_000);
    expect((await emptyState()).text).toBe('No stories yet: 1 of 3 sources is failing. See which and why. The next poll is in 14 min, at 12:14 UTC.');
    await fail('alpha', NOW + 30 * 60_000);
    await fail('beta', NOW + 30 * 60_000);
    expect((await emptyState()).text).toBe('No stories yet: all 3 sources are failing. See which and why. The next poll is in 30 min, at 12:30 UTC.');
  });

  it('says when the next poll is even when no source fails', async () => {
    for (const id of ['alpha', 'beta', 'gamma']) await succeed(id, NOW + 3 * 3600_000);
    expect((await emptyState()).text).toBe('No stories yet. The next poll is in 3 hours, at 15:00 UTC.');
  });

  it('keeps the search message for a search without results', async () => {
    await fail('alpha', NOW + 60_000);
    expect((await emptyState('/?q=harbour')).text).toBe('No story matches this search. Try fewer or different words.');
  });
});
});
