// Structured logging (pino): events with stable snake_case keys, level from LOG_LEVEL.
import pino, { type Logger } from 'pino';

export type { Logger };

/** A logger writing JSON lines to stderr (stdout stays for command output). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'storywire' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
