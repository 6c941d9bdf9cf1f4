// Work that runs outside any request or command (timers, file watchers, signal handlers, cron ticks) must never end
// the process: its errors are caught here, logged, and counted in /metrics (storywire_background_errors_total{task}).
import type { Logger } from './logger.ts';

/** Records one error of a background task. */
export type BackgroundErrorReporter = (task: string, err: unknown) => void;

/** A reporter that logs `background.failed` with the task, and increments `counter` when there is one. */
export function backgroundErrorReporter(log: Logger, counter?: { inc(labels: { task: string }): void }): BackgroundErrorReporter {
  return (task, err) => {
    try {
      counter?.inc({ task });
      log.error({ task, err }, 'background.failed');
    } catch {
      // Reporting must not throw either (a closed log stream, say).
    }
  };
}

/**
 * Wraps a callback so that neither a synchronous throw nor a rejected promise escapes: both go to `report` under
 * `task`. The wrapped function returns nothing, which is what timers, watchers and signal handlers expect.
 */
export function guarded<A extends unknown[]>(task: string, report: BackgroundErrorReporter, fn: (...args: A) => unknown): (...args: A) => void {
  return (...args) => {
    try {
      const r = fn(...args);
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, (err: unknown) => report(task, err));
    } catch (err) {
      report(task, err);
    }
  };
}
