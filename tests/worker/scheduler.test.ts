import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { backgroundErrorReporter, guarded } from '../../src/lib/background.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import type { PassSummary } from '../../src/pipeline/poll.ts';
import { startScheduler, type Scheduler } from '../../src/worker/scheduler.ts';

const summary: PassSummary = { outcomes: [], newEntries: 0, updatedEntries: 0, failed: 0, changedStories: [], createdStories: 0, ms: 1 };
let scheduler: Scheduler | null = null;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

function setup() {
  const metrics = createMetrics(null, false);
  const logged: { msg: string; task?: string; err?: { message: string } }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  return { metrics, logged, log, report: backgroundErrorReporter(log, metrics.backgroundErrors) };
}

async function errorsCounted(metrics: ReturnType<typeof createMetrics>, task: string): Promise<number> {
  const m = await metrics.backgroundErrors.get();
  return m.values.find((v) => v.labels.task === task)?.value ?? 0;
}

describe('startScheduler', () => {
  it('survives a pass that throws or rejects: logs it, counts it, and the next cron tick runs again', async () => {
    const { metrics, logged, log, report } = setup();
    let calls = 0;
    const pass = (): Promise<PassSummary> => {
      calls++;
      if (calls === 1) throw new Error('boom in the pass itself');
      if (calls === 2) return Promise.reject(new Error('database is locked'));
      return Promise.resolve(summary);
    };
    scheduler = startScheduler('* * * * * *', pass, log, report); // every second
    await expect(scheduler.runNow()).resolves.toBeNull();
    await until(() => calls >= 3);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(await errorsCounted(metrics, 'poll')).toBe(2);
    expect(logged.filter((l) => l.msg === 'background.failed').map((l) => [l.task, l.err?.message])).toEqual([
      ['poll', 'boom in the pass itself'],
      ['poll', 'database is locked'],
    ]);
    await expect(scheduler.runNow()).resolves.toEqual(summary);
  });
});

describe('guarded', () => {
  it('catches a synchronous throw and a rejection of a callback, reporting each under its task', async () => {
    const { metrics, report } = setup();
    guarded('signal', report, () => {
      throw new Error('sync');
    })();
    guarded('timer', report, async () => {
      throw new Error('async');
    })();
    await new Promise((r) => setImmediate(r));
    expect(await errorsCounted(metrics, 'signal')).toBe(1);
    expect(await errorsCounted(metrics, 'timer')).toBe(1);
    expect(await metrics.registry.metrics()).toMatch(/storywire_background_errors_total\{task="timer"\} 1/);
  });
});
