// `storywire worker`: polls due sources continuously, no web pages; any number share one PostgreSQL database (each
// source leased to one of them at a time), and one of them at a time assigns entries to stories. SIGTERM or SIGINT:
// stop claiming, finish the polls under way, give every lease back, exit 0. `--metrics-port` serves /healthz and
// /metrics. Like serve, once running no error ends the process: background errors are logged and counted.
import { loadServiceConfig } from './service-config.ts';
import { backgroundErrorReporter, guarded } from '../lib/background.ts';
import { createLogger } from '../lib/logger.ts';
import type { SourceOutcome } from '../pipeline/poll-source.ts';
import { openRuntime } from '../runtime.ts';
import { createOpsApp } from '../server/app.ts';
import { listen, type Listening } from '../server/listen.ts';
import { watchConfig } from '../worker/config-watcher.ts';
import { SharedPoller } from '../worker/poller.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** How often a worker logs what it polled since the last time (when it polled anything). */
const PROGRESS_MS = 60_000;

/** Polls until a signal arrives; resolves with the exit code. */
export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { concurrency: { type: 'string' }, 'metrics-port': { type: 'string' }, 'metrics-host': { type: 'string' } });
  const env = runtimeEnv(values);
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) throw new UsageError(`--concurrency must be a whole number from 1 to 256, got "${values.concurrency}"`);
  const metricsPort = values['metrics-port'] !== undefined ? Number(values['metrics-port']) : null;
  if (metricsPort !== null && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) throw new UsageError(`--metrics-port must be a port number, got "${values['metrics-port']}"`);
  // The config is checked before the database is touched: a worker with a broken feeds.json never starts.
  const config = loadServiceConfig(env.configPath);
  const log = createLogger(env.logLevel, { format: env.logFormat });
  const runtime = await openRuntime(config, env.dbPath, log, Date.now, { integrityCheck: true });
  const { leadership } = runtime;
  try {
    // On SQLite one process polls a file: refuse to be the second.
    await leadership.takePolling();
  } catch (e) {
    await runtime.close();
    throw e;
  }
  const report = backgroundErrorReporter(log, runtime.metrics.backgroundErrors);
  const onRejection = (err: unknown) => report('unhandled-rejection', err);
  const onException = (err: unknown) => report('uncaught-exception', err);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);

  const progress = { sources: 0, failed: 0, newEntries: 0, updatedEntries: 0 };
  const onPolled = (o: SourceOutcome) => {
    runtime.recordOutcome(o);
    progress.sources++;
    progress.newEntries += o.newEntries;
    progress.updatedEntries += o.updatedEntries;
    if (o.status === 'error') progress.failed++;
    // This poll assigned stories itself (it leads): caches and WebSub, as the clustering loop does for queued ones.
    if (o.changedStories.length) runtime.storiesChanged().catch((err: unknown) => report('stories-changed', err));
  };
  const poller = new SharedPoller({ store: runtime.store, config: runtime.config, assigner: () => runtime.assigner, leadership, log, report, concurrency: concurrency ?? config.settings.concurrency, onPolled });
  let clusteringLost: () => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', guarded('signal', report, () => resolve('SIGTERM')));
    process.once('SIGINT', guarded('signal', report, () => resolve('SIGINT')));
    // SQLite: another process took the poller lease (this one was frozen past its expiry): two must not poll at once.
    clusteringLost = () => resolve('lease-lost');
  });
  const clustering = await runtime.startClustering(report, () => clusteringLost());
  poller.start();
  const progressTimer = setInterval(() => {
    if (!progress.sources) return;
    log.info({ sources: progress.sources, failed: progress.failed, new_entries: progress.newEntries, updated_entries: progress.updatedEntries, leader: leadership.held }, 'worker.progress');
    Object.assign(progress, { sources: 0, failed: 0, newEntries: 0, updatedEntries: 0 });
  }, PROGRESS_MS);
  progressTimer.unref();
  const watcher = watchConfig(env.configPath, (next) => void runtime.setConfig(next).catch((err: unknown) => report('config-reload', err)), log, 300, loadServiceConfig, report);
  runtime.metrics.status = () => runtime.status('worker', () => poller.leases);
  let ops: Listening | null = null;
  if (metricsPort !== null) {
    const app = createOpsApp({ store: runtime.store, config: runtime.config, log, metrics: runtime.metrics, metricsToken: env.metricsToken, status: runtime.metrics.status });
    ops = await listen(app, metricsPort, (values['metrics-host'] as string | undefined) ?? '127.0.0.1').catch(async (e: unknown) => {
      await Promise.all([poller.stop(), clustering.stop()]);
      await runtime.close();
      throw e;
    });
  }
  log.info({ node: leadership.holder, db: runtime.store.location, config: env.configPath, sources: config.sources.length, concurrency: concurrency ?? config.settings.concurrency, metrics_port: ops?.port ?? null }, 'worker.started');
  console.log(`storywire worker ${leadership.holder} polling ${runtime.store.location}${ops ? ` (metrics on port ${ops.port})` : ''}`);

  const signal = await stopped;
  log.info({ signal }, 'worker.stopping');
  watcher.stop();
  clearInterval(progressTimer);
  await poller.stop();
  await clustering.stop();
  await ops?.close();
  await runtime.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  log.info('worker.stopped');
  return signal === 'lease-lost' ? 1 : 0;
}
