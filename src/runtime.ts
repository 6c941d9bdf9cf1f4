// Composition root: config + store + clustering + publishing, shared by the CLI commands.
import { PACKAGE, type Config } from './config/index.ts';
import type { Logger } from './lib/logger.ts';
import { createMetrics, type Metrics, type ProcessStatus } from './lib/metrics.ts';
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
import { watchStoryChanges } from './cluster/changes.ts';
import { assignAsLeader, ClusteringLoop, type ClusteringRound } from './cluster/leader.ts';
import { Leadership } from './cluster/leadership.ts';
import type { BackgroundErrorReporter } from './lib/background.ts';
import type { SourceOutcome } from './pipeline/poll-source.ts';

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
  /** The lease that makes this process the one that assigns stories (and, on SQLite, the one that polls). */
  leadership: Leadership;
  /** What stories changing in this process means: cached answers dropped, feeds re-rendered, the WebSub hub pinged. */
  storiesChanged(): Promise<void>;
  /** Counts one source's poll in the metrics. */
  recordOutcome(outcome: SourceOutcome): void;
  /** Starts assigning queued entries whenever this process leads (pollers). */
  startClustering(report: BackgroundErrorReporter, onLost?: () => void): Promise<ClusteringLoop>;
  /** Drops cached answers and feeds whenever another process changed stories (web servers). */
  watchChanges(report: BackgroundErrorReporter): Promise<{ stop(): Promise<void> }>;
  /** What /healthz and /metrics say about this process: its role, what it holds, the clustering backlog. */
  status(role: ProcessStatus['role'], leases: () => number): Promise<ProcessStatus>;
  /** Assigns every queued entry if this process can lead now (`storywire poll` after its pass); null when another leads. */
  assignQueue(): Promise<ClusteringRound | null>;
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
  await reportUnlisted(store, config, log);
  const publisher = createPublisher(store, () => current, () => aliases, now, log);
  if (config.settings.publicUrl) await publisher.warm(config.settings.publicUrl);
  const responseCache = new ResponseCache();
  const leadership = new Leadership(store, config.settings.leaseMs, log);
  // Only the process that changed stories pings the hub: a web server that learns of a change from the database
  // re-renders (invalidate) but never pings, so the hub hears of each change once.
  const storiesChanged = async () => {
    responseCache.clear();
    const { changed } = await publisher.invalidate();
    const hub = current.settings.websubHub;
    if (hub && changed.length) await pingHub(hub, changed.map(feedUrlOfKey), log);
  };
  const afterPass = async (summary: PassSummary) => {
    recordPass(metrics, summary);
    if (summary.changedStories.length) await storiesChanged();
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
      await reportUnlisted(store, next, log);
      assigner = makeAssigner(next);
      responseCache.clear();
      void publisher.invalidate({ configChanged: true }).then(() => {
        if (next.settings.publicUrl) return publisher.warm(next.settings.publicUrl);
      });
    },
    async poll(opts) {
      const [passAliases, passStarted] = [aliases, now()];
      const summary = await pollOnce({ store, config: current, assigner, log, now, leadership }, opts);
      await reindexAfterPass(store, passAliases, aliases, passStarted, log);
      await afterPass(summary);
      return summary;
    },
    leadership,
    storiesChanged,
    recordOutcome: (o) => recordOutcome(metrics, o),
    async startClustering(report, onLost) {
      const loop = new ClusteringLoop({
        store,
        leadership,
        assigner: () => assigner,
        log,
        report,
        now,
        onLost,
        onChanged: async (round) => {
          metrics.storiesCreated.inc(round.createdStories);
          await storiesChanged();
        },
      });
      await loop.start();
      return loop;
    },
    watchChanges: (report) =>
      watchStoryChanges(
        store,
        () => {
          responseCache.clear();
          void publisher.invalidate();
        },
        report,
      ),
    async status(role, leases) {
      return { role, engine: store.engine, node: leadership.holder, leases: leases(), leader: leadership.held, backlog: await store.pendingCount() };
    },
    async assignQueue() {
      const round = await assignAsLeader({ store, leadership, assigner: () => assigner, now });
      if (round?.changedStories.length) {
        metrics.storiesCreated.inc(round.createdStories);
        await storiesChanged();
      }
      return round;
    },
    async close() {
      await leadership.release().catch(() => {});
      await store.close();
    },
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

/**
 * Warns about sources the database holds that this config does not list: removed from feeds.json, or listed in
 * another process's (every process of a deployment should run the same file). This process never polls them.
 */
async function reportUnlisted(store: Storage, config: Config, log: Logger): Promise<void> {
  const listed = new Set(config.sources.map((s) => s.id));
  const unlisted = (await store.sourceStates()).filter((s) => !listed.has(s.id)).map((s) => s.id);
  if (unlisted.length) log.warn({ count: unlisted.length, sources: unlisted.slice(0, 20), config: config.file }, 'config.unlisted_sources');
}

function recordPass(metrics: Metrics, summary: PassSummary): void {
  metrics.passSeconds.observe(summary.ms / 1000);
  for (const o of summary.outcomes) recordOutcome(metrics, o);
}

function recordOutcome(metrics: Metrics, o: SourceOutcome): void {
  metrics.polls.inc({ status: o.status });
  metrics.fetches.inc({ kind: o.error?.kind ?? (o.status === 'not-modified' ? 'not-modified' : 'ok'), http_status: String(o.httpStatus ?? 'none') });
  metrics.entriesCreated.inc(o.newEntries);
  metrics.entriesUpdated.inc(o.updatedEntries);
  metrics.storiesCreated.inc(o.createdStories);
}
