// Scale benchmark (issue 10): generated local feeds polled by 1, 2 and 4 `storywire worker` processes against one
// PostgreSQL database, then a large set by a few workers. Each run gets a fresh throwaway database and the feeds as
// they were at the first run (their request counters reset), and measures one pass: from starting the workers until
// every source's fetch is stored (last_fetched_at set), then how long the clustering leader takes to empty its backlog.
// The feed server counts requests per feed: with interval 15m (and backoff never under it) a second request to a feed
// within a run is a duplicate fetch, which fails the bench.
//
// Env: SCALE_FEEDS (2000), SCALE_WORKERS (1,2,4), SCALE_BIG (10000; 0 skips), SCALE_BIG_WORKERS (2),
// SCALE_CONCURRENCY (per worker, 32), SCALE_DRAIN_LIMIT (seconds to wait for the backlog, 300), SCALE_LOG_DIR (keep each
// worker's output there, as <feeds>-<workers>-<n>.log), and the server as for the other benches: STORYWIRE_BENCH_PG or
// STORYWIRE_TEST_PG.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import postgres from 'postgres';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../tests/helpers/throwaway-pg.ts';
import { startFeedServer, type FeedKind, type FeedServer } from './scale-feeds.ts';

const FEEDS = Number(process.env.SCALE_FEEDS ?? 2000);
const WORKER_COUNTS = (process.env.SCALE_WORKERS ?? '1,2,4').split(',').map(Number);
const BIG = Number(process.env.SCALE_BIG ?? 10_000);
const BIG_WORKERS = Number(process.env.SCALE_BIG_WORKERS ?? 2);
// Enough slots that the slow feeds (5%, 1-3 s) do not set the pace of one worker: 100 slow feeds hold 200 slot-seconds.
const CONCURRENCY = Number(process.env.SCALE_CONCURRENCY ?? 32);
const DRAIN_LIMIT_MS = Number(process.env.SCALE_DRAIN_LIMIT ?? 300) * 1000;
const LOG_DIR = process.env.SCALE_LOG_DIR;
if (LOG_DIR) fs.mkdirSync(LOG_DIR, { recursive: true });
const PG_SERVER = process.env.STORYWIRE_BENCH_PG || process.env.STORYWIRE_TEST_PG || undefined;
const INTERVAL_MS = 15 * 60_000;
/** The settings every run's feeds.json has: nothing comes due twice in a run; slow feeds over 2 s time out. */
const SETTINGS = { interval: '15m', concurrency: CONCURRENCY, perHostConcurrency: 16, timeout: '2s', lease: '10s' };
const PORTS = 8;
const BIN = path.resolve('bin/storywire.js');

/** What one run measured. */
interface Run {
  feeds: number;
  workers: number;
  /** Start of the workers to the first request the feed server saw, and to the last source stored. */
  firstFetchMs: number | null;
  passMs: number | null;
  backlogAtPassEnd: number | null;
  /** From the end of the pass until no entry waited for clustering; null when it did not within the limit. */
  drainMs: number | null;
  duplicates: number;
  unfetched: number;
  entries: number;
  stories: number;
  /** Sources whose last poll failed, against the feeds generated to fail. */
  failedSources: number;
  leasesLeft: number;
  exitCodes: (number | null)[];
  workerCpuS: number | null;
  serverLoopP99: number;
  problems: string[];
}

/** Runs the scale benchmark and prints the figures of each run; sets a failing exit code on a duplicate fetch or a broken run. */
export async function runScaleBench(): Promise<void> {
  if (!PG_SERVER) {
    console.log('scale: skipped (set STORYWIRE_BENCH_PG or STORYWIRE_TEST_PG to a postgres:// URL of a role that may create databases)');
    return;
  }
  if (!fs.existsSync(new URL('../dist/cli.js', import.meta.url))) throw new Error('scale: dist/ is not built; run `npm run build` first (the workers run bin/storywire.js)');
  const runs: Run[] = [];
  const server = await startFeedServer(FEEDS, { ports: PORTS });
  try {
    console.log(`scale: ${describeFeeds(server.kinds)} on ${PORTS} ports of 127.0.0.1; settings ${JSON.stringify(SETTINGS)}`);
    printHeader();
    for (const workers of WORKER_COUNTS) printRun(runs[runs.push(await run(server, workers)) - 1]);
  } finally {
    await server.close();
  }
  const one = runs.find((r) => r.workers === 1 && r.passMs);
  if (one) {
    const ups = runs.filter((r) => r.workers > 1 && r.passMs).map((r) => `${r.workers} workers ${(one.passMs! / r.passMs!).toFixed(2)}x`);
    if (ups.length) console.log(`  speed-up of the pass over 1 worker: ${ups.join(', ')} (${os.cpus().length} cores)`);
  }

  if (BIG > 0) {
    const big = await startFeedServer(BIG, { ports: PORTS });
    let r: Run;
    try {
      console.log(`scale: ${describeFeeds(big.kinds)}, ${BIG_WORKERS} workers`);
      printHeader();
      r = await run(big, BIG_WORKERS);
    } finally {
      await big.close();
    }
    printRun(r);
    if (r.passMs !== null) console.log(`  ${BIG} sources, ${BIG_WORKERS} workers: one pass in ${s(r.passMs)}; it fits in the default 15-minute schedule`);
    else console.log(`  ${BIG} sources, ${BIG_WORKERS} workers: the pass does NOT fit in the default 15-minute schedule`);
    runs.push(r);
  }
  const failed = runs.filter((r) => r.problems.length);
  for (const r of failed) console.log(`  FAIL: ${r.feeds} feeds, ${r.workers} workers (problems above)`);
  if (failed.length) process.exitCode = 1;
}

function describeFeeds(kinds: FeedKind[]): string {
  const n = (k: FeedKind) => kinds.filter((x) => x === k).length;
  return `${kinds.length} feeds (${n('ok')} ok, ${n('slow')} slow 1-3 s, ${n('http-500')} HTTP 500, ${n('http-404')} HTTP 404, ${n('garbage')} garbage)`;
}

const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** One pass of `workers` worker processes over the feeds of `server`, in a fresh database. */
async function run(server: FeedServer, workers: number): Promise<Run> {
  const feeds = server.urls.length;
  server.reset();
  const database = await createThrowawayDatabase(PG_SERVER!, 'storywire_bench_scale');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-scale-'));
  const configFile = path.join(dir, 'feeds.json');
  fs.writeFileSync(configFile, JSON.stringify({ settings: SETTINGS, sources: server.urls.map((url, i) => ({ id: `f${i}`, url })) }));
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const problems: string[] = [];
  const procs: WorkerProcess[] = [];
  const started = Date.now();
  try {
    for (let w = 0; w < workers; w++) procs.push(startWorker(configFile, database.url, LOG_DIR && path.join(LOG_DIR, `${feeds}-${workers}-${w + 1}.log`)));
    // The pass: until every source has a stored fetch. Before the first worker has migrated, the tables do not exist.
    let passMs: number | null = null;
    let backlogAtPassEnd: number | null = null;
    const passLimit = started + INTERVAL_MS;
    let nextProgress = started + 60_000;
    while (Date.now() < passLimit) {
      const exited = procs.find((p) => p.exitCode !== undefined);
      if (exited) {
        problems.push(`a worker exited during the pass with code ${exited.exitCode}`);
        break;
      }
      // One statement, one snapshot: the backlog as it stood when the last source was stored.
      const [row] = await sql<{ done: string; backlog: string }[]>`
        SELECT (SELECT count(*) FROM sources WHERE last_fetched_at >= ${started}) AS done,
               (SELECT count(*) FROM entries WHERE pending_seq IS NOT NULL) AS backlog`.catch(() => [undefined]);
      if (row && Date.now() >= nextProgress) {
        process.stderr.write(`  ... ${s(Date.now() - started)}: ${row.done} of ${feeds} sources stored, backlog ${row.backlog}\n`);
        nextProgress += 60_000;
      }
      if (row && Number(row.done) >= feeds) {
        passMs = Date.now() - started;
        backlogAtPassEnd = Number(row.backlog);
        break;
      }
      await sleep(100);
    }
    if (passMs === null && !problems.length) problems.push(`pass not complete after ${s(INTERVAL_MS)}: ${await stuck(sql, started)}`);

    let drainMs: number | null = null;
    if (passMs !== null) {
      const from = Date.now();
      while (Date.now() - from < DRAIN_LIMIT_MS) {
        const [row] = await sql<{ backlog: string }[]>`SELECT count(*) AS backlog FROM entries WHERE pending_seq IS NOT NULL`;
        if (Number(row.backlog) === 0) {
          drainMs = Date.now() - from;
          break;
        }
        await sleep(200);
      }
    }
    const workerCpuS = procs.reduce<number | null>((sum, p) => (sum === null ? null : addCpu(sum, cpuSeconds(p.child.pid))), 0);
    const exitCodes = await Promise.all(procs.map((p) => p.stop(30_000)));
    if (Date.now() - started > INTERVAL_MS) problems.push('the run outlasted the interval, so second requests may be due ones, not duplicates');
    exitCodes.forEach(
      (code, i) => code === 0 || problems.push(`worker ${i + 1} ${code === null ? 'still running 30 s after SIGTERM' : `exited with ${code}`}; its last lines:\n${procs[i].tail.join('\n')}`),
    );

    const duplicates = server.requests.reduce((n, c) => n + Math.max(0, c - 1), 0);
    const unfetched = server.requests.filter((c) => c === 0).length;
    if (duplicates) problems.push(`${duplicates} duplicate fetches (${server.requests.filter((c) => c > 1).length} feeds fetched more than once)`);
    if (unfetched && passMs !== null) problems.push(`${unfetched} feeds never requested though every source was stored`);
    const [counts] = await sql<{ entries: string; stories: string; failed: string; leases: string }[]>`
      SELECT (SELECT count(*) FROM entries) AS entries, (SELECT count(*) FROM stories) AS stories,
             (SELECT count(*) FROM sources WHERE status = 'error') AS failed,
             (SELECT count(*) FROM sources WHERE lease_holder IS NOT NULL) AS leases`.catch((e: Error) => {
      // A run whose workers never got as far as migrating the database has nothing to count.
      problems.push(`counting the stored rows failed: ${e.message}`);
      return [{ entries: '0', stories: '0', failed: '0', leases: '0' }];
    });
    const leasesLeft = Number(counts.leases);
    // Leases left by a worker still running are its own; only once all have exited must none be left.
    if (leasesLeft && exitCodes.every((c) => c !== null)) problems.push(`${leasesLeft} source leases still held after every worker exited`);
    return {
      feeds,
      workers,
      firstFetchMs: server.firstRequestAt() === null ? null : server.firstRequestAt()! - started,
      passMs,
      backlogAtPassEnd,
      drainMs,
      duplicates,
      unfetched,
      entries: Number(counts.entries),
      stories: Number(counts.stories),
      failedSources: Number(counts.failed),
      leasesLeft,
      exitCodes,
      workerCpuS,
      serverLoopP99: server.loopDelay().p99,
      problems,
    };
  } finally {
    for (const p of procs) if (p.exitCode === undefined) p.child.kill('SIGKILL');
    await sql.end();
    await dropDatabase(database);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Why a pass did not finish: how many sources lack a stored fetch, and how many of those are leased. */
async function stuck(sql: postgres.Sql, started: number): Promise<string> {
  const [row] = await sql<{ missing: string; leased: string }[]>`
    SELECT count(*) AS missing, count(*) FILTER (WHERE lease_holder IS NOT NULL) AS leased
    FROM sources WHERE last_fetched_at IS NULL OR last_fetched_at < ${started}`.catch(() => [{ missing: 'all', leased: '?' }]);
  return `${row.missing} sources not stored, ${row.leased} of them leased`;
}

interface WorkerProcess {
  child: ChildProcess;
  /** The last lines it wrote (stdout and stderr), for the report of a failure. */
  tail: string[];
  /** undefined while it runs. */
  exitCode: number | null | undefined;
  /** SIGTERM, then its exit code, or null when it has not exited after `ms`. */
  stop(ms: number): Promise<number | null>;
}

function startWorker(configFile: string, db: string, logFile: string | undefined): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--config', configFile, '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_FORMAT: 'json' },
  });
  const p: WorkerProcess = {
    child,
    tail: [],
    exitCode: undefined,
    stop: (ms) =>
      new Promise((resolve) => {
        if (p.exitCode !== undefined) return resolve(p.exitCode);
        const timer = setTimeout(() => resolve(null), ms);
        child.once('exit', (code) => (clearTimeout(timer), resolve(code)));
        child.kill('SIGTERM');
      }),
  };
  const log = logFile ? fs.createWriteStream(logFile) : null;
  // Both pipes are read to the end, or a worker logging a lot would block on a full pipe.
  for (const stream of [child.stdout!, child.stderr!])
    readline.createInterface({ input: stream }).on('line', (line) => {
      log?.write(`${line}\n`);
      p.tail.push(line.length > 400 ? `${line.slice(0, 400)}...` : line);
      if (p.tail.length > 20) p.tail.shift();
    });
  child.once('exit', (code) => ((p.exitCode = code), log?.end()));
  return p;
}

/** CPU time (user + system) a process has used so far, from /proc; null where there is no /proc. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime and stime fields 14 and 15.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const addCpu = (a: number, b: number | null) => (b === null ? null : a + b);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

// Fixed widths: each run's line is printed as soon as the run ends, so a long bench shows what it has measured so far.
const COLUMNS: [string, number][] = [
  ['workers', 7], ['pass', 8], ['fetches/s', 9], ['first fetch', 11], ['duplicates', 10], ['backlog at end', 14], ['drained after', 13],
  ['entries', 7], ['stories', 7], ['failed', 6], ['worker CPU', 10], ['feed server p99 lag', 19],
];
const line = (cells: string[]) => console.log(`  ${cells.map((c, i) => c.padStart(COLUMNS[i][1])).join('  ')}`);

function printHeader(): void {
  line(COLUMNS.map(([h]) => h));
}

function printRun(r: Run): void {
  line([
    String(r.workers),
    s(r.passMs),
    r.passMs ? (r.feeds / (r.passMs / 1000)).toFixed(0) : '-',
    s(r.firstFetchMs),
    String(r.duplicates),
    r.backlogAtPassEnd === null ? '-' : String(r.backlogAtPassEnd),
    r.drainMs === null ? (r.passMs === null ? '-' : `> ${s(DRAIN_LIMIT_MS)}`) : s(r.drainMs),
    String(r.entries),
    String(r.stories),
    String(r.failedSources),
    r.workerCpuS === null ? '-' : `${r.workerCpuS.toFixed(0)} s`,
    `${r.serverLoopP99.toFixed(0)} ms`,
  ]);
  for (const p of r.problems) console.log(`    problem: ${p}`);
}

/**
 * Drops a run's database. Another role's session on it (an administrator looking) makes DROP ... WITH (FORCE) fail: a
 * few tries, then the name is printed for dropping by hand, and the bench goes on.
 */
async function dropDatabase(database: ThrowawayDatabase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.drop();
    } catch (e) {
      if (attempt === 5) return console.log(`  (could not drop database ${database.name}: ${(e as Error).message})`);
      await sleep(2000);
    }
  }
}
