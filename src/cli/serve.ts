// `storywire serve`: the HTTP server plus the poll scheduler; closes cleanly on SIGTERM/SIGINT.
import { loadServiceConfig } from './service-config.ts';
import { createLogger } from '../lib/logger.ts';
import { openRuntime } from '../runtime.ts';
import { createApp } from '../server/app.ts';
import { listen } from '../server/listen.ts';
import { watchConfig } from '../worker/config-watcher.ts';
import { startScheduler } from '../worker/scheduler.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** Serves until a signal arrives; resolves with the exit code. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { port: { type: 'string' }, host: { type: 'string' }, 'no-poll': { type: 'boolean' } });
  const env = runtimeEnv(values);
  const port = values.port !== undefined ? Number(values.port) : env.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  const host = (values.host as string | undefined) ?? env.host;
  const config = loadServiceConfig(env.configPath);
  const log = createLogger(env.logLevel);
  const runtime = openRuntime(config, env.dbPath, log);
  const app = createApp({ store: runtime.store, config: runtime.config, log, searchTerms: (text) => runtime.assigner.terms(text), publisher: runtime.publisher, metrics: runtime.metrics, metricsToken: env.metricsToken, responseCache: runtime.responseCache });
  const server = await listen(app, port, host);
  log.info({ port: server.port, host: host ?? '0.0.0.0', db: env.dbPath, config: env.configPath, sources: config.sources.length }, 'server.listening');
  console.log(`storywire listening on http://${host ?? 'localhost'}:${server.port}/`);
  const pollDue = () => runtime.poll({ dueOnly: true });
  let scheduler = values['no-poll'] ? null : startScheduler(config.settings.schedule, pollDue, log);
  void scheduler?.runNow();
  const watcher = watchConfig(env.configPath, (next) => {
    const scheduleChanged = next.settings.schedule !== runtime.config().settings.schedule;
    runtime.setConfig(next);
    if (scheduler && scheduleChanged) {
      const old = scheduler;
      scheduler = startScheduler(next.settings.schedule, pollDue, log);
      void old.stop();
    }
  }, log, 300, loadServiceConfig);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'server.stopping');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  watcher.stop();
  await scheduler?.stop();
  await server.close();
  runtime.close();
  log.info('server.stopped');
  return 0;
}
