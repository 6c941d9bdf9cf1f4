// `npm run eval:boundaries [-- CORPUS_DIR] [--kills N]`: polls real captured feeds (../shared/corpora/realfeeds, when
// present) in one process, source by source in fresh processes, and with kill -9 at random instants followed by a
// clean pass, then runs recluster; prints story counts and how far each partition is from the one-pass one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { recluster } from '../src/pipeline/recluster.ts';
import { clustererOptions, openRuntime } from '../src/runtime.ts';
import { loadAliases } from '../src/stories/index.ts';
import { openSqliteStorage, type SqliteStorage as Store } from '../src/store/sqlite/storage.ts';
import { startFixtureServer } from '../tests/helpers/fixture-server.ts';

const args = process.argv.slice(2);
const killsAt = args.indexOf('--kills');
const kills = killsAt >= 0 ? Number(args[killsAt + 1]) : 5;
const corpus = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--kills') ?? path.resolve('../shared/corpora/realfeeds/2021-09-20_gesab001-headlines');
if (!fs.existsSync(corpus)) {
  console.log(`eval:boundaries: ${corpus} not found; nothing to measure`);
  process.exit(0);
}

const files = fs.readdirSync(corpus).filter((f) => /\.(xml|rss|atom|json)$/.test(f) && !f.startsWith('feedparser'));
const server = await startFixtureServer(Object.fromEntries(files.map((f) => [`/${f}`, { body: fs.readFileSync(path.join(corpus, f)) }])));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-boundaries-'));
const configFile = path.join(dir, 'feeds.json');
const slug = (f: string) => f.replace(/\.[a-z]+$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
fs.writeFileSync(configFile, JSON.stringify({ settings: { concurrency: 2 }, sources: files.map((f) => ({ id: slug(f), url: server.url(`/${f}`) })) }));
const config: Config = parseConfig(fs.readFileSync(configFile, 'utf8'), configFile);

/** Stories as sets of entry keys (source + link), independent of ids. */
async function partition(db: string): Promise<Map<string, string>> {
  const store = openSqliteStorage(db);
  try {
    const rows = await store.listEntries({ limit: 100_000 });
    return new Map(rows.map((e) => [`${e.sourceId} ${e.key}`, String(e.storyId)]));
  } finally {
    await store.close();
  }
}

/** Share of entry pairs on which two partitions disagree (together in one, apart in the other). */
function disagreement(a: Map<string, string>, b: Map<string, string>): number {
  const keys = [...a.keys()].filter((k) => b.has(k));
  let pairs = 0, differ = 0;
  const together = (p: Map<string, string>, x: string, y: string) => p.get(x) === p.get(y);
  // Only pairs that either partition groups matter (most pairs are apart in both).
  for (let i = 0; i < keys.length; i++)
    for (let j = i + 1; j < keys.length; j++) {
      const ta = together(a, keys[i], keys[j]), tb = together(b, keys[i], keys[j]);
      if (ta || tb) pairs++, (differ += Number(ta !== tb));
    }
  return pairs ? differ / pairs : 0;
}

const stories = (p: Map<string, string>) => new Set(p.values()).size;

async function onePass(db: string) {
  const runtime = await openRuntime(config, db, silentLogger());
  await runtime.poll();
  await runtime.close();
}

function cliPoll(db: string, killAfterMs: number | null): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'src/cli.ts', 'poll', '--config', configFile, '--db', db], { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: 'ignore' });
    if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', () => resolve());
  });
}

const oneDb = path.join(dir, 'one.db');
await onePass(oneDb);
const one = await partition(oneDb);
console.log(`${files.length} feeds, ${one.size} entries: one pass in one process: ${stories(one)} stories`);

const sepDb = path.join(dir, 'separate.db');
for (const s of config.sources) {
  const runtime = await openRuntime(config, sepDb, silentLogger());
  await runtime.poll({ sourceId: s.id });
  await runtime.close();
}
const sep = await partition(sepDb);
console.log(`source by source, a fresh process each: ${stories(sep)} stories, pair disagreement ${(100 * disagreement(one, sep)).toFixed(2)}%`);

const cliDb = path.join(dir, 'cli.db');
const cliStarted = Date.now();
await cliPoll(cliDb, null);
const cliMs = Date.now() - cliStarted;
const cli = await partition(cliDb);
console.log(`one pass of the storywire poll command: ${stories(cli)} stories, pair disagreement ${(100 * disagreement(one, cli)).toFixed(2)}%`);

let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let k = 0; k < kills; k++) {
  const db = path.join(dir, `killed-${k}.db`);
  // A random instant within the time a whole pass of the command takes (process start included).
  const at = Math.round(rand() * cliMs);
  await cliPoll(db, at);
  const before = fs.existsSync(db) ? (await partition(db)).size : 0;
  await cliPoll(db, null);
  const p = await partition(db);
  console.log(`kill -9 after ${at} ms (${before} entries stored by then), then a clean pass: ${stories(p)} stories, ${p.size} entries, pair disagreement ${(100 * disagreement(one, p)).toFixed(2)}%`);
}

const store = openSqliteStorage(oneDb);
const r = await recluster(store, clustererOptions(config, loadAliases(config.settings.aliasesFile ?? undefined)), 0, Date.now());
await store.close();
console.log(`recluster after the one pass: ${r.storiesCreated} created, ${r.storiesDeleted} deleted, ${r.entriesMoved} entries moved`);
await server.close();
fs.rmSync(dir, { recursive: true, force: true });
