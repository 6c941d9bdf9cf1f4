// `storywire serve`: the HTTP server plus the poll scheduler; closes cleanly on SIGTERM/SIGINT.
// Once listening, no error may end the process: signal handlers, the config watcher and the scheduler report what
// they catch to the log and to storywire_background_errors_total.
import { loadServiceConfig } from './service-config.ts';
import { backgroundErrorReporter, guarded } from '../lib/background.ts';
import { createLogger } from '../lib/logger.ts';
import type { PassSummary } from '../pipeline/poll.ts';
import { openRuntime } from '../runtime.ts';
import { createApp } from '../server/app.ts';
import { listen } from '../server/listen.ts';
import { watchConfig } from '../worker/config-watcher.ts';
import { startScheduler } from '../worker/scheduler.ts';
import { passLeases } from '../pipeline/poll.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** Serves until a signal arrives; resolves with the exit code. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { port: { type: 'string' }, host: { type: 'string' }, 'no-poll': { type: 'boolean' } });
  const env = runtimeEnv(values);
  const port = values.port !== undefined ? Number(values.port) : env.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  const host = (values.host as string | undefined) ?? env.host;
  const config = loadServiceConfig(env.configPath);
  const log = createLogger(env.logLevel, { format: env.logFormat });
  const checkStarted = Date.now();
  // Migrates, after a quick integrity check: a damaged database is refused at start rather than served.
  const runtime = await openRuntime(config, env.dbPath, log, Date.now, { integrityCheck: true });
  log.debug({ ms: Date.now() - checkStarted }, 'database.opened');
  const polls = !values['no-poll'];
  const { leadership } = runtime;
  try {
    // On SQLite one process polls a file: a serve that polls refuses to be the second (serve --no-poll may run beside).
    if (polls) await leadership.takePolling();
  } catch (e) {
    await runtime.close();
    throw e;
  }
  const report = backgroundErrorReporter(log, runtime.metrics.backgroundErrors);
  runtime.metrics.status = () => runtime.status(polls ? 'serve' : 'web', passLeases);
  const app = createApp({
    store: runtime.store,
    config: runtime.config,
    log,
    searchTerms: (text) => runtime.assigner.terms(text),
    publisher: runtime.publisher,
    metrics: runtime.metrics,
    metricsToken: env.metricsToken,
    responseCache: runtime.responseCache,
    status: runtime.metrics.status,
  });
  // Stories changed by other processes (workers, the clustering leader) reach this server's caches through the database.
  let changes;
  let server;
  try {
    changes = await runtime.watchChanges(report);
    server = await listen(app, port, host);
  } catch (e) {
    await changes?.stop();
    await runtime.close();
    throw e;
  }
  // Last resort: whatever escaped the guards below is logged and counted, and serving goes on.
  const onRejection = (err: unknown) => report('unhandled-rejection', err);
  const onException = (err: unknown) => report('uncaught-exception', err);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const baseUrl = `http://${host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost'}:${server.port}`;
  log.info({ port: server.port, host: host ?? '0.0.0.0', db: runtime.store.location, config: env.configPath, sources: config.sources.length }, 'server.listening');
  console.log(`storywire listening on ${baseUrl}/`);
  const pollDue = () => runtime.poll({ dueOnly: true });
  // A polling serve also assigns the entries other pollers queue, whenever it leads (and on SQLite keeps its poller lease).
  // Not awaited: the config watcher below must hold SIGHUP before anything else waits.
  const clustering = polls
    ? runtime.startClustering(report, () => log.error({ lease: leadership.name }, 'leadership.lost_to_another_poller')).catch((err: unknown) => {
        report('clustering', err);
        return null;
      })
    : null;
  let scheduler = polls ? startScheduler(config.settings.schedule, pollDue, log, report) : null;
  void scheduler?.runNow().then((summary) => firstPassSummary(summary, baseUrl, log), (err: unknown) => report('poll', err));
  const watcher = watchConfig(
    env.configPath,
    (next) => {
      const scheduleChanged = next.settings.schedule !== runtime.config().settings.schedule;
      // The new config is in force at once; syncing the database to it finishes in the background.
      runtime.setConfig(next).catch((err: unknown) => report('config-reload', err));
      if (scheduler && scheduleChanged) {
        const old = scheduler;
        scheduler = startScheduler(next.settings.schedule, pollDue, log, report);
        old.stop().catch((err: unknown) => report('scheduler-stop', err));
      }
    },
    log,
    300,
    loadServiceConfig,
    report,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'server.stopping');
      resolve();
    };
    process.once('SIGTERM', guarded('signal', report, () => stop('SIGTERM')));
    process.once('SIGINT', guarded('signal', report, () => stop('SIGINT')));
  });
  watcher.stop();
  await scheduler?.stop();
  await (await clustering)?.stop();
  await changes.stop();
  await server.close();
  await runtime.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  log.info('server.stopped');
  return 0;
}

// After the first pass, one line saying how many sources failed and where to look, so a first start is easy to read.
function firstPassSummary(summary: PassSummary | null, baseUrl: string, log: ReturnType<typeof createLogger>): void {
  if (!summary || !summary.failed) return;
  const failed = summary.outcomes.filter((o) => o.status === 'error').map((o) => o.sourceId);
  log.warn({ failed: failed.length, sources: summary.outcomes.length, failed_sources: failed.slice(0, 10), details: `${baseUrl}/sources` }, 'poll.first_pass_failures');
}
