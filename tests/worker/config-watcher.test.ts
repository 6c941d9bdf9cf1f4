import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.ts';
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
});
