// Structured logging (pino): events with stable snake_case keys, level from LOG_LEVEL.
// On a terminal the events are rendered as short readable lines (pino-pretty, in-process and synchronous, so
// nothing is lost when the process exits); elsewhere they are JSON lines. LOG_FORMAT=pretty|json forces one.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** How log events are written: readable lines or JSON lines. */
export type LogFormat = 'pretty' | 'json';

/** Where and how to log; everything is optional. */
export interface LoggerOptions {
  /** 'auto' (the default): pretty when `destination` is a terminal, JSON otherwise. */
  format?: LogFormat | 'auto';
  /** A file descriptor (2, stderr, by default) or a stream, for tests. */
  destination?: number | NodeJS.WritableStream;
  /** Colours in pretty mode; by default when the destination is a terminal. */
  colorize?: boolean;
}

/** A logger writing to stderr (stdout stays for command output). */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? 2;
  const tty = destination === 2 ? Boolean(process.stderr.isTTY) : Boolean((destination as { isTTY?: boolean }).isTTY);
  const format = !opts.format || opts.format === 'auto' ? (tty ? 'pretty' : 'json') : opts.format;
  const options = { level, base: { service: 'storywire' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'json') return pino(options, typeof destination === 'number' ? pino.destination({ dest: destination, sync: true }) : (destination as DestinationStream));
  const showStacks = level === 'debug' || level === 'trace';
  const stream = pretty({
    destination: destination as number | DestinationStream,
    sync: true,
    colorize: opts.colorize ?? tty,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    hideObject: true,
    messageFormat: (log, messageKey) => humanLine(log, messageKey, showStacks),
  });
  return pino(options, stream);
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

// Events whose sentence already says what the error is.
const SELF_EXPLAINED = new Set(['source.database_error']);
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg']);

/** One readable line for a log event: known events get a sentence, others `event key=value ...`. */
export function humanLine(log: Record<string, unknown>, messageKey = 'msg', showStacks = false): string {
  const event = String(log[messageKey] ?? '');
  const known = sentence(event, log);
  const err = errorText(log.err, showStacks);
  if (known !== null) return err && !SELF_EXPLAINED.has(event) ? `${known}: ${err}` : known;
  const fields = Object.entries(log)
    .filter(([k, v]) => !HIDDEN.has(k) && k !== messageKey && k !== 'err' && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${fieldText(v)}`);
  return [event, ...fields, ...(err ? [`err=${err}`] : [])].join(' ');
}

function sentence(event: string, l: Record<string, unknown>): string | null {
  switch (event) {
    case 'source.polled': {
      if (l.error) {
        const kind = l.error_kind === 'http-error' ? 'http' : String(l.error_kind);
        return `source ${String(l.source_id)} failed [${kind}]: ${String(l.error).replace(/^fetch: /, '')}${retryText(l.next_fetch_at, l.time)}`;
      }
      return `source ${String(l.source_id)}: ${String(l.status)}, ${String(l.new_entries)} new, ${String(l.updated_entries)} updated (${String(l.ms)} ms)`;
    }
    case 'poll.pass': {
      const failed = Number(l.failed ?? 0);
      const names = Array.isArray(l.failed_sources) && l.failed_sources.length ? ` (${l.failed_sources.join(', ')}${failed > l.failed_sources.length ? ', …' : ''})` : '';
      return `poll pass: ${String(l.sources)} sources in ${(Number(l.ms) / 1000).toFixed(1)} s, ${String(l.new_entries)} new entries, ${String(l.updated_entries)} updated, ${failed} failed${names}`;
    }
    case 'server.listening':
      return `listening on ${String(l.host)}:${String(l.port)}, ${String(l.sources)} sources from ${String(l.config)}, database ${String(l.db)}`;
    case 'poll.first_pass_failures':
      return `${String(l.failed)} of ${String(l.sources)} sources failed on the first poll (see above); details at ${String(l.details)} or with "storywire sources"`;
    case 'source.database_error':
      return `source ${String(l.source_id)}: ${String(l.error)}`;
    case 'source.record_failed':
      return `source ${String(l.source_id)}: could not record the failure in the database; it is retried after ${String(l.next_fetch_at)}`;
    case 'background.failed':
      return `${String(l.task)} failed; storywire keeps running (counted in storywire_background_errors_total)`;
    case 'config.missing':
      return `${String(l.config)} is gone (deleted, or being replaced); the running config stays until it is back`;
    case 'config.reloaded':
      return `config reloaded (${String(l.reason)}): ${String(l.sources)} sources, ${String(l.feeds)} feeds`;
    case 'config.reload_refused':
      return `${String(l.config ?? 'feeds.json')} changed but is invalid, the running config stays: ${Array.isArray(l.errors) ? l.errors.join('; ') : ''}`;
    case 'worker.started':
      return `worker ${String(l.node)} polling ${String(l.sources)} sources from ${String(l.config)}, ${String(l.concurrency)} at a time, database ${String(l.db)}`;
    case 'worker.progress':
      return `worker: ${String(l.sources)} sources polled in the last minute, ${String(l.new_entries)} new entries, ${String(l.updated_entries)} updated, ${String(l.failed)} failed${l.leader ? ' (clustering leader)' : ''}`;
    case 'leadership.acquired':
      return l.lease === 'poller' ? `this process polls the database (lease ${String(l.holder)})` : `this process is the clustering leader now (${String(l.holder)})`;
    case 'leadership.lost':
      return l.lease === 'poller' ? `this process no longer holds the poller lease` : `this process is no longer the clustering leader`;
    case 'config.unlisted_sources':
      return `${String(l.count)} sources in the database are not in ${String(l.config)} (removed, or another process's config): this process does not poll them: ${Array.isArray(l.sources) ? l.sources.join(', ') : ''}`;
    default:
      return null;
  }
}

function retryText(next: unknown, time: unknown): string {
  if (typeof next !== 'string') return '';
  const at = Date.parse(next);
  const now = typeof time === 'string' ? Date.parse(time) : typeof time === 'number' ? time : Date.now();
  if (Number.isNaN(at) || Number.isNaN(now)) return '';
  const minutes = Math.max(0, Math.round((at - now) / 60_000));
  return minutes < 1 ? '; retry in under a minute' : minutes < 120 ? `; retry in ${minutes} min` : `; retry in ${Math.round(minutes / 60)} h`;
}

function errorText(err: unknown, showStacks: boolean): string {
  if (err === undefined || err === null) return '';
  if (typeof err !== 'object') return String(err);
  const e = err as { message?: unknown; stack?: unknown; type?: unknown };
  if (showStacks && typeof e.stack === 'string') return `\n${e.stack}`;
  return typeof e.message === 'string' ? e.message : JSON.stringify(err);
}

function fieldText(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
