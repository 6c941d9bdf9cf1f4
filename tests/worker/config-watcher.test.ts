import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.ts';
import { backgroundErrorReporter } from '../../src/lib/background.ts';
import { createMetrics } from '../../src/lib/metrics.ts';
import { watchConfig, type ConfigWatcher } from '../../src/worker/config-watcher.ts';

const valid = (id: string) => JSON.stringify({ sources: [{ id, url: 'https://x.example/feed' }] });
let watcher: ConfigWatcher | null = null;
afterEach(() => watcher?.stop());

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-watch-'));
  const file = path.join(dir, 'feeds.json');
  fs.writeFileSync(file, valid('first'));
  const applied: Config[] = [];
  const logged: { msg: string; errors?: string[] }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  watcher = watchConfig(file, (c) => applied.push(c), log, 20);
  return { file, applied, logged };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('watchConfig', () => {
  it('applies a valid change noticed on disk', async () => {
    const { file, applied } = setup();
    fs.writeFileSync(file, valid('second'));
    await until(() => applied.length > 0);
    expect(applied.map((c) => c.sources[0].id)).toEqual(['second']);
  });

  it('refuses an invalid change, logs every error and keeps the old config', async () => {
    const { file, applied, logged } = setup();
    fs.writeFileSync(file, JSON.stringify({ sources: [{ id: 'Bad Id', url: 'ftp://x' }] }));
    expect(watcher!.reload('SIGHUP')).toBe(false);
    expect(applied).toEqual([]);
    const refusal = logged.find((l) => l.msg === 'config.reload_refused')!;
    expect(refusal.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^sources\.0\.id: /), 'sources.0.url: must be an http(s) URL']));
  });

  it('reloads on SIGHUP', async () => {
    const { file, applied } = setup();
    watcher!.stop();
    watcher = watchConfig(file, (c) => applied.push(c), pino({ level: 'silent' }), 60_000);
    fs.writeFileSync(file, valid('third'));
    process.kill(process.pid, 'SIGHUP');
    await until(() => applied.length > 0);
    expect(applied[0].sources[0].id).toBe('third');
  });

  it('logs a deleted feeds.json once and keeps the running config', async () => {
    const { file, applied, logged } = setup();
    fs.rmSync(file);
    expect(watcher!.reload('SIGHUP')).toBe(false);
    expect(watcher!.reload('SIGHUP')).toBe(false);
    expect(applied).toEqual([]);
    expect(logged.filter((l) => l.msg === 'config.missing')).toHaveLength(1);
    // When it comes back, it is read again.
    fs.writeFileSync(file, valid('back'));
    expect(watcher!.reload('SIGHUP')).toBe(true);
    expect(applied.map((c) => c.sources[0].id)).toEqual(['back']);
  });

  it('never throws when applying fails: the error is reported and counted, and the next reload tries again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-watch-'));
    const file = path.join(dir, 'feeds.json');
    fs.writeFileSync(file, valid('first'));
    const metrics = createMetrics(null, false);
    const log = pino({ level: 'silent' });
    let failing = true;
    const applied: string[] = [];
    watcher = watchConfig(
      file,
      (c) => {
        if (failing) throw new Error('database is full');
        applied.push(c.sources[0].id);
      },
      log,
      60_000,
      undefined,
      backgroundErrorReporter(log, metrics.backgroundErrors),
    );
    fs.writeFileSync(file, valid('second'));
    expect(watcher.reload('SIGHUP')).toBe(false);
    failing = false;
    expect(watcher.reload('SIGHUP')).toBe(true);
    expect(applied).toEqual(['second']);
    return metrics.backgroundErrors.get().then((m) => expect(m.values).toEqual([expect.objectContaining({ labels: { task: 'config-reload' }, value: 1 })]));
  });

  it('reports a loader that throws something other than a config error instead of throwing it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-watch-'));
    const file = path.join(dir, 'feeds.json');
    fs.writeFileSync(file, valid('first'));
    const reported: [string, unknown][] = [];
    watcher = watchConfig(file, () => undefined, pino({ level: 'silent' }), 60_000, () => {
      throw new TypeError('alias file vanished');
    }, (task, err) => reported.push([task, err]));
    fs.writeFileSync(file, valid('second'));
    expect(watcher.reload('SIGHUP')).toBe(false);
    expect(reported.map(([task, err]) => [task, (err as Error).message])).toEqual([['config-reload', 'alias file vanished']]);
  });
});
