// Startup benchmark of the compiled command (`node bin/storywire.js`), against `node -e 0` measured in the same run:
// --help (goal <= 1.5x), --version, check (goal <= 3x), and serve on a database of 100k entries, from spawning the
// process to the first 200 of /healthz. Runs are interleaved (one of each per round) so machine load hits all alike.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage, type SqliteStorage as Store } from '../src/store/sqlite/storage.ts';
import { fillStore } from './fill.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const SOURCES = 20;

/** Newest modification time of the files under `p`. */
function newest(p: string): number {
  const st = fs.statSync(p);
  return st.isDirectory() ? Math.max(0, ...fs.readdirSync(p).map((n) => newest(path.join(p, n)))) : st.mtimeMs;
}

/** Runs `node ...args` to its end; resolves with the wall time in ms (rejects on a non-zero exit). */
function timed(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`node ${args.join(' ')}: exit ${code}\n${stderr}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Spawns `storywire serve`, polls /healthz every 5 ms, resolves with the time to its first 200, then stops it. */
async function timedServe(config: string, db: string): Promise<number> {
  const port = await freePort();
  const t = performance.now();
  const child = spawn(process.execPath, ['bin/storywire.js', 'serve', '--config', config, '--db', db, '--host', '127.0.0.1', '--port', String(port), '--no-poll'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}\n${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - t;
      if (performance.now() - t > 60_000) throw new Error('serve: no 200 on /healthz within 60 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the startup benchmark. */
export async function runStartupBench(): Promise<void> {
  const built = fs.existsSync('dist/cli.js') ? fs.statSync('dist/cli.js').mtimeMs : -1;
  if (built < newest('src')) {
    console.log('startup: dist/ is older than src/; building it (npm run build)');
    await timed(['bin/build.js']);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-startup-'));
  try {
    // Sources on 127.0.0.1 only (serve runs with --no-poll anyway): nothing leaves the machine.
    const config = path.join(dir, 'feeds.json');
    fs.writeFileSync(config, JSON.stringify({ sources: Array.from({ length: SOURCES }, (_, i) => ({ id: `s${i}`, url: `http://127.0.0.1:9/feed${i}.xml` })) }));
    const db = path.join(dir, 'storywire.db');
    const fillStarted = performance.now();
    const store = openSqliteStorage(db);
    await fillStore(store, ENTRIES, Date.now(), SOURCES);
    await store.close();
    console.log(`startup: filled ${ENTRIES} entries in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s; ${ROUNDS} rounds, median of each`);

    const cases: [string, () => Promise<number>][] = [
      ['node -e 0 (baseline)', () => timed(['-e', '0'])],
      ['storywire --help', () => timed(['bin/storywire.js', '--help'])],
      ['storywire --version', () => timed(['bin/storywire.js', '--version'])],
      ['storywire check', () => timed(['bin/storywire.js', 'check', '--config', config])],
      [`storywire serve, to first 200 on /healthz (${ENTRIES / 1000}k entries)`, () => timedServe(config, db)],
    ];
    const samples = cases.map(() => [] as number[]);
    for (const [, run] of cases) await run(); // warm-up: file cache
    for (let r = 0; r < ROUNDS; r++) for (const [i, [, run]] of cases.entries()) samples[i].push(await run());

    const base = median(samples[0]);
    const goals: Record<string, number> = { 'storywire --help': 1.5, 'storywire check': 3 };
    for (const [i, [name]] of cases.entries()) {
      const ms = median(samples[i]);
      const goal = goals[name] ? `  (goal <= ${goals[name]}x: ${ms / base <= goals[name] ? 'met' : 'MISSED'})` : '';
      console.log(`  ${name.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(2).padStart(6)}x${goal}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
