// Prometheus metrics (prom-client) on a registry of our own, so tests can create as many as they like.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's metrics. */
export interface Metrics {
  registry: Registry;
  polls: Counter<'status'>;
  fetches: Counter<'kind' | 'http_status'>;
  entriesCreated: Counter;
  entriesUpdated: Counter;
  storiesCreated: Counter;
  clusteringSeconds: Histogram;
  passSeconds: Histogram;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpSeconds: Histogram<'method' | 'route'>;
  /** Media proxy answers by outcome: cache, fetched, revalidated, stale, or why not (off, bad_token, not_found, media_*). */
  mediaRequests: Counter<'outcome'>;
  /** Errors caught in timers, watchers, signal handlers and scheduled passes (which never end the process). */
  backgroundErrors: Counter<'task'>;
  /** What this process is and holds, asked on every scrape (set by the command once it knows its role). */
  status: (() => Promise<ProcessStatus>) | null;
}

/** What /healthz and /metrics say about the process's place among others sharing the database. */
export interface ProcessStatus {
  role: 'serve' | 'web' | 'worker';
  engine: 'sqlite' | 'postgres';
  node: string;
  leases: number;
  leader: boolean;
  backlog: number;
}

/** Creates the metrics; `databaseBytes` (when given) is asked on every scrape. */
export function createMetrics(databaseBytes: (() => Promise<number>) | null, withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'storywire_' });
  const m: Metrics = {
    registry,
    polls: new Counter({ name: 'storywire_source_polls_total', help: 'Source polls by outcome status', labelNames: ['status'], registers: [registry] }),
    fetches: new Counter({ name: 'storywire_fetches_total', help: 'Fetch outcomes by kind and HTTP status', labelNames: ['kind', 'http_status'], registers: [registry] }),
    entriesCreated: new Counter({ name: 'storywire_entries_created_total', help: 'Entries stored for the first time', registers: [registry] }),
    entriesUpdated: new Counter({ name: 'storywire_entries_updated_total', help: 'Entries edited in place', registers: [registry] }),
    storiesCreated: new Counter({ name: 'storywire_stories_created_total', help: 'Stories created', registers: [registry] }),
    clusteringSeconds: new Histogram({ name: 'storywire_clustering_seconds', help: 'Time to assign one entry to a story', buckets: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1], registers: [registry] }),
    passSeconds: new Histogram({ name: 'storywire_poll_pass_seconds', help: 'Duration of a poll pass', buckets: [0.5, 1, 2, 5, 10, 30, 60, 120], registers: [registry] }),
    httpRequests: new Counter({ name: 'storywire_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    httpSeconds: new Histogram({ name: 'storywire_http_request_seconds', help: 'HTTP request durations by route', labelNames: ['method', 'route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    mediaRequests: new Counter({ name: 'storywire_media_requests_total', help: 'Media proxy requests by outcome (cache, fetched, revalidated, stale, or the refusal code)', labelNames: ['outcome'], registers: [registry] }),
    backgroundErrors: new Counter({ name: 'storywire_background_errors_total', help: 'Errors caught in background tasks (poll pass, config reload, signal handlers), which keep running', labelNames: ['task'], registers: [registry] }),
    status: null,
  };
  // One status per scrape, however many gauges read it.
  let scraped: { at: number; status: Promise<ProcessStatus | null> } | null = null;
  const status = (): Promise<ProcessStatus | null> => {
    if (!scraped || Date.now() - scraped.at > 500) scraped = { at: Date.now(), status: m.status ? m.status().catch(() => null) : Promise.resolve(null) };
    return scraped.status;
  };
  const statusGauge = (name: string, help: string, value: (s: ProcessStatus) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const s = await status();
        if (s) this.set(value(s));
      },
    });
  statusGauge('storywire_source_leases', 'Sources this process is fetching (leases it holds)', (s) => s.leases);
  statusGauge('storywire_clustering_leader', '1 while this process assigns entries to stories (holds the clustering lease)', (s) => (s.leader ? 1 : 0));
  statusGauge('storywire_clustering_backlog', 'Entries stored and waiting for the clustering leader', (s) => s.backlog);
  new Gauge({
    name: 'storywire_info',
    help: 'The role of this process and the database engine (value 1)',
    labelNames: ['role', 'engine'],
    registers: [registry],
    async collect() {
      const s = await status();
      this.reset();
      if (s) this.set({ role: s.role, engine: s.engine }, 1);
    },
  });
  new Gauge({
    name: 'storywire_database_bytes',
    help: 'Space the database takes: SQLite pages and WAL, or pg_database_size on PostgreSQL',
    registers: [registry],
    async collect() {
      // A database that cannot answer now keeps the last size: /metrics still answers, /healthz reports the outage.
      const bytes = await databaseBytes?.().catch(() => null);
      if (bytes !== null) this.set(bytes ?? 0);
    },
  });
  return m;
}
