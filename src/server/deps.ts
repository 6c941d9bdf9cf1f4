// What the HTTP app is built from; the app never opens, listens or polls by itself.
import type { Config } from '../config/index.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics, ProcessStatus } from '../lib/metrics.ts';
import type { FeedPublisher } from '../publish/publisher.ts';
import type { Storage } from '../store/index.ts';
import type { ResponseCache } from './response-cache.ts';

/** Dependencies of createApp. `config` is a getter so a reloaded config applies to the next request. */
export interface AppDeps {
  store: Storage;
  config: () => Config;
  log: Logger;
  /** Normalised search terms of a query, matching how entries were indexed (names folded, aliases applied). */
  searchTerms: (text: string) => string[];
  publisher: FeedPublisher;
  metrics?: Metrics;
  /** When set, /metrics answers only requests with `Authorization: Bearer <metricsToken>` (STORYWIRE_METRICS_TOKEN). */
  metricsToken?: string;
  /** Cache of story and entry answers, cleared by the runtime when a poll changes stories. */
  responseCache?: ResponseCache;
  now?: () => number;
  /** The process's role and what it holds, shown by /healthz (serve and workers set it). */
  status?: () => Promise<ProcessStatus>;
}
