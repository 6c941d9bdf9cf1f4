// Composition root: config + store + clustering + publishing, shared by the CLI commands.
import { PACKAGE, type Config } from './config/index.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics, type Metrics } from './lib/metrics.ts';
import { clustererOptions, StoryAssigner } from './pipeline/story-assigner.ts';

export { clustererOptions };
import { pollOnce, type PassOptions, type PassSummary } from './pipeline/poll.ts';
import { reindexAfterPass, syncSearchIndex } from './pipeline/search-index.ts';
import { FeedPublisher } from './publish/publisher.ts';
import { storyReader } from './publish/select.ts';
import { feedUrlOfKey, pingHub } from './publish/websub.ts';
import { ResponseCache } from './server/response-cache.ts';
import { loadAliases, type AliasTable } from './stories/index.ts';
import { openStorage, type OpenOptions, type Storage } from './store/index.ts';

/** An opened service: store, story assigner, publisher, metrics and a pass runner. */
export interface Runtime {
  store: Storage;
  readonly assigner: StoryAssigner;
  publisher: FeedPublisher;
  metrics: Metrics;
  /** API answers about stories and entries, forgotten when a poll changes stories or the config changes. */
  responseCache: ResponseCache;
  config: () => Config;
  /** Applies a new, already validated config: sources synced, clustering and feeds refreshed. */
  setConfig(next: Config): Promise<void>;
  /** Runs a pass, then refreshes feeds and pings the WebSub hub for the ones that changed. */
  poll(opts?: PassOptions): Promise<PassSummary>;
  close(): Promise<void>;
}

/** Opens and migrates the database, syncs sources and warms the clustering index. */
export async function openRuntime(config: Config, dbPath: string, log: Logger, now: () => number = Date.now, storeOptions: OpenOptions = {}): Promise<Runtime> {
  const store = await openStorage(dbPath, storeOptions);
  const metrics = createMetrics(() => store.sizeBytes());
  let current = config;
  let aliases = loadAliases(config.settings.aliasesFile ?? undefined);
  try {
    await syncSearchIndex(store, aliases, log);
  } catch (e) {
    await store.close();
    throw e;
  }
  const makeAssigner = (c: Config) => new StoryAssigner(store, clustererOptions(c, aliases), (seconds) => metrics.clusteringSeconds.observe(seconds));
  let assigner = makeAssigner(config);
  await store.syncSources(config.sources);
  const publisher = createPublisher(store, () => current, () => aliases, now, log);
  if (config.settings.publicUrl) await publisher.warm(config.settings.publicUrl);
  const responseCache = new ResponseCache();
  const afterPass = async (summary: PassSummary) => {
    recordPass(metrics, summary);
    if (!summary.changedStories.length) return;
    responseCache.clear();
    const { changed } = await publisher.invalidate();
    const hub = current.settings.websubHub;
    if (hub && changed.length) await pingHub(hub, changed.map(feedUrlOfKey), log);
  };
  return {
    store,
    get assigner() {
      return assigner;
    },
    publisher,
    metrics,
    responseCache,
    config: () => current,
    async setConfig(next) {
      current = next;
      aliases = loadAliases(next.settings.aliasesFile ?? undefined);
      await syncSearchIndex(store, aliases, log);
      await store.syncSources(next.sources);
      assigner = makeAssigner(next);
      responseCache.clear();
      void publisher.invalidate({ configChanged: true }).then(() => {
        if (next.settings.publicUrl) return publisher.warm(next.settings.publicUrl);
      });
    },
    async poll(opts) {
      const [passAliases, passStarted] = [aliases, now()];
      const summary = await pollOnce({ store, config: current, assigner, log, now }, opts);
      await reindexAfterPass(store, passAliases, aliases, passStarted, log);
      await afterPass(summary);
      return summary;
    },
    close: () => store.close(),
  };
}

/** A feed publisher reading from `store`. */
export function createPublisher(store: Storage, config: () => Config, aliases: () => AliasTable, now: () => number = Date.now, log?: Logger): FeedPublisher {
  return new FeedPublisher({
    reader: storyReader(store),
    config,
    sourceFacts: async () => new Map((await store.sourceStates()).map((s) => [s.id, { feedTitle: s.feedTitle, siteUrl: s.siteUrl }])),
    aliases,
    generator: `storywire/${PACKAGE.version}`,
    now,
    log,
  });
}

function recordPass(metrics: Metrics, summary: PassSummary): void {
  metrics.passSeconds.observe(summary.ms / 1000);
  for (const o of summary.outcomes) {
    metrics.polls.inc({ status: o.status });
    metrics.fetches.inc({ kind: o.error?.kind ?? (o.status === 'not-modified' ? 'not-modified' : 'ok'), http_status: String(o.httpStatus ?? 'none') });
  }
  metrics.entriesCreated.inc(summary.newEntries);
  metrics.entriesUpdated.inc(summary.updatedEntries);
  metrics.storiesCreated.inc(summary.createdStories);
}
