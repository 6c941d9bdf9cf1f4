// The poll scheduler: node-cron ticks run a pass over due sources; passes never overlap, and a failing pass never
// stops the ticking: it is logged, counted, and the next tick tries again.
import cron, { type ScheduledTask } from 'node-cron';
import { backgroundErrorReporter, type BackgroundErrorReporter } from '../lib/background.ts';
import type { Logger } from '../lib/logger.ts';
import type { PassSummary } from '../pipeline/poll.ts';

/** A running schedule. */
export interface Scheduler {
  /** Runs a pass now unless one is running; resolves when it ends (null when it failed). Never rejects. */
  runNow(): Promise<PassSummary | null>;
  /** Stops ticking and waits for the pass in flight. */
  stop(): Promise<void>;
}

/** Starts ticking on `expression`; `pass` polls the due sources. Errors go to `report` (task "poll"). */
export function startScheduler(expression: string, pass: () => Promise<PassSummary>, log: Logger, report: BackgroundErrorReporter = backgroundErrorReporter(log)): Scheduler {
  let running: Promise<PassSummary | null> | null = null;
  const runNow = (): Promise<PassSummary | null> => {
    if (running) {
      log.info('poll.skipped_overlap');
      return running;
    }
    // Promise.resolve().then turns a synchronous throw of `pass` into a rejection, handled like any other.
    running = Promise.resolve()
      .then(pass)
      .catch((err: unknown) => {
        report('poll', err);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task: ScheduledTask = cron.schedule(
    expression,
    () => {
      try {
        void runNow();
      } catch (err) {
        report('poll', err);
      }
    },
    { name: 'storywire-poll' },
  );
  return {
    runNow,
    async stop() {
      await task.stop();
      await running;
    },
  };
}
