// FeedPublisher: curates and renders feeds into a cache, re-rendering off the request path when stories change.
import type { Config, FeedRules } from '../config/index.ts';
import type { Logger } from '../lib/logger.ts';
import type { AliasTable } from '../stories/index.ts';
import { createFeedCache, packFeed, type RenderedFeed } from './cache.ts';
import { toPublished, type SourceFacts } from './published.ts';
import { MEDIA_TYPES, renderFeed } from './render.ts';
import { mediaProxyUrl } from './images.ts';
import { compileRules, findRuleProblems } from './rules.ts';
import { feedFilter, feedRules, selectStories, type StoryReader } from './select.ts';
import { PUBLISHED_FORMATS, type FeedMeta, type PublishedFormat, type PublishedStory } from './types.ts';


/** What the publisher reads. */
export interface PublisherDeps {
  reader: StoryReader;
  config: () => Config;
  sourceFacts: () => Promise<ReadonlyMap<string, SourceFacts>>;
  aliases: () => AliasTable;
  generator: string;
  now?: () => number;
  /** Where re-render failures are logged. */
  log?: Logger;
}

/** What an invalidation did: feeds whose body changed, and feeds whose re-render failed (keys "slug\nformat\nbaseUrl"). */
export interface Invalidation {
  changed: string[];
  failed: string[];
}

// Invalidations waiting for one re-render: the bodies readers had before, and who to tell.
interface Batch {
  previous: Map<string, string>;
  waiters: ((result: Invalidation) => void)[];
}

/** Serves rendered feeds from a cache; `invalidate` after a poll changed stories or the config changed. */
export class FeedPublisher {
  private readonly cache = createFeedCache();
  private matchers = new Map<string, ((text: string) => boolean) | null>();
  private batch: Batch | null = null;
  private rendering: Batch | null = null;
  // Bumped by every invalidation: a render that started before one must not put its (older) body in the cache.
  private generation = 0;
  // The render of each feed under way, and the generation it started in.
  private readonly inflight = new Map<string, { generation: number; rendered: Promise<RenderedFeed | null> }>();

  constructor(private readonly deps: PublisherDeps) {}

  /** The rendered feed, from the cache or rendered now on a miss; null for an unknown slug. */
  async get(slug: string, format: PublishedFormat, baseUrl: string): Promise<RenderedFeed | null> {
    const key = `${slug}\n${format}\n${baseUrl}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    // A request arriving while the same feed renders (since the last invalidation) shares that render. Two renders
    // of one feed could otherwise overlap (on an engine whose reads interleave with other writes, PostgreSQL) and
    // finish in either order: the cache would go back to an older body, or keep a newer one no re-render compared.
    const running = this.inflight.get(key);
    if (running && running.generation === this.generation) return running.rendered;
    const own = { generation: this.generation, rendered: this.render(slug, format, baseUrl) };
    this.inflight.set(key, own);
    try {
      const rendered = await own.rendered;
      if (rendered && own.generation === this.generation) this.cache.set(key, rendered);
      return rendered;
    } finally {
      if (this.inflight.get(key) === own) this.inflight.delete(key);
    }
  }

  /** Renders every feed in every format at `baseUrl` into the cache, so later changes are noticed (and pinged) even before a reader asks. */
  async warm(baseUrl: string): Promise<void> {
    for (const slug of ['all', ...this.deps.config().feeds.map((f) => f.slug)]) for (const format of PUBLISHED_FORMATS) await this.get(slug, format, baseUrl);
  }

  /** Renders a feed without touching the cache (also used by benchmarks). */
  async render(slug: string, format: PublishedFormat, baseUrl: string): Promise<RenderedFeed | null> {
    const config = this.deps.config();
    const rules = feedRules(config, slug);
    if (!rules) return null;
    const stories = await this.stories(config, rules);
    const meta: FeedMeta = {
      slug,
      title: slug === 'all' ? 'storywire: all stories' : rules.title,
      description: rules.description,
      baseUrl,
      language: 'en',
      websubHub: config.settings.websubHub,
      generator: this.deps.generator,
      // With the media proxy on, readers' feed readers load pictures from us, never from the outlets.
      ...(config.settings.mediaProxy ? { imageUrl: (url: string) => mediaProxyUrl(baseUrl, url) } : {}),
    };
    const lastModified = stories.reduce<number | null>((max, s) => (max === null || s.updatedAt > max ? s.updatedAt : max), null);
    return packFeed(renderFeed(format, meta, stories), MEDIA_TYPES[format], lastModified);
  }

  /**
   * Drops every cached body and re-renders the ones readers asked for, after the current request finishes.
   * Resolves, once re-rendered, with the keys ("slug\nformat\nbaseUrl") whose body changed (for WebSub pings)
   * and the keys whose render failed (logged; the next request renders them again).
   * Calls made before the re-render ran share it: each resolves with the changes of all of them, compared with
   * the bodies readers had before the first, so no change is lost. A call made during a re-render starts another.
   */
  invalidate(options: { configChanged?: boolean } = {}): Promise<Invalidation> {
    if (options.configChanged) this.matchers.clear();
    this.generation++;
    let batch = this.batch;
    if (!batch) {
      batch = this.batch = { previous: new Map(), waiters: [] };
      const scheduled = batch;
      setImmediate(() => void this.rerender(scheduled));
    }
    // The oldest body of a key is what readers last saw; a later snapshot only adds keys requested in between.
    const remember = (key: string, etag: string) => batch.previous.has(key) || batch.previous.set(key, etag);
    for (const key of [...this.cache.rkeys()]) remember(key, this.cache.peek(key)!.etag);
    // Called during a re-render: the keys it has not reached yet still show their old bodies to readers.
    if (this.rendering) for (const [key, etag] of this.rendering.previous) remember(key, etag);
    this.cache.clear();
    const waiters = batch.waiters;
    return new Promise((resolve) => waiters.push(resolve));
  }

  // Runs in a timer: it must settle every waiter and never throw.
  private async rerender(batch: Batch): Promise<void> {
    if (this.batch === batch) this.batch = null;
    this.rendering = batch;
    const result: Invalidation = { changed: [], failed: [] };
    for (const [key, etag] of batch.previous) {
      try {
        const [slug, format, baseUrl] = key.split('\n') as [string, PublishedFormat, string];
        // A feed the new config no longer has (null) is gone, not changed: nothing to ping.
        const now = await this.get(slug, format, baseUrl);
        if (now && now.etag !== etag) result.changed.push(key);
      } catch (err) {
        result.failed.push(key);
        this.deps.log?.error({ err, feed: key.split('\n').slice(0, 2).join('.') }, 'feed.render_failed');
      }
      batch.previous.delete(key);
    }
    this.rendering = null;
    for (const resolve of batch.waiters) resolve(result);
  }

  /** The stories a feed holds now, newest first, ready to render. */
  async stories(config: Config, rules: FeedRules): Promise<PublishedStory[]> {
    const now = (this.deps.now ?? Date.now)();
    const selected = await selectStories(this.deps.reader, feedFilter(config, rules, now), this.matcherFor(rules), rules.limit);
    const facts = await this.deps.sourceFacts();
    return selected.items.map((item) => toPublished(item, config, facts));
  }

  /** The compiled include/exclude matcher of a feed (null when it has no terms), compiled once per config. */
  matcherFor(rules: FeedRules): ((text: string) => boolean) | null {
    if (!rules.include.length && !rules.exclude.length) return null;
    let matcher = this.matchers.get(rules.slug);
    if (matcher === undefined) {
      // `storywire check` and every config load refuse terms that can never match; should one reach here anyway
      // (a config built in code), it is left out rather than failing every render of the feed.
      const aliases = this.deps.aliases();
      const bad = findRuleProblems(rules, aliases);
      const usable = (list: 'include' | 'exclude') => rules[list].filter((_, i) => !bad.some((p) => p.list === list && p.index === i));
      const include = usable('include');
      // An include list left empty would select everything; one whose every term was unusable selects nothing.
      matcher = rules.include.length && !include.length ? () => false : compileRules({ include, exclude: usable('exclude') }, aliases);
      this.matchers.set(rules.slug, matcher);
    }
    return matcher;
  }
}
