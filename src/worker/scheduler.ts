// The poll scheduler: node-cron ticks run a pass over due sources; passes never overlap.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../lib/logger.ts';
import type { PassSummary } from '../pipeline/poll.ts';

/** A running schedule. */
export interface Scheduler {
  /** Runs a pass now unless one is running; resolves when it ends. */
  runNow(): Promise<PassSummary | null>;
  /** Stops ticking and waits for the pass in flight. */
  stop(): Promise<void>;
}

/** Starts ticking on `expression`; `pass` polls the due sources. */
export function startScheduler(expression: string, pass: () => Promise<PassSummary>, log: Logger): Scheduler {
  let running: Promise<PassSummary | null> | null = null;
  const runNow = () => {
    if (running) {
      log.info('poll.skipped_overlap');
      return running;
    }
    running = pass()
      .catch((err: unknown) => {
        log.error({ err }, 'poll.pass_failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task: ScheduledTask = cron.schedule(expression, () => void runNow(), { name: 'storywire-poll' });
  return {
    runNow,
    async stop() {
      await task.stop();
      await running;
    },
  };
}
