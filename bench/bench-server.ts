// Child process of the HTTP benchmarks: fills (or opens) a database, serves storywire plus a constant route, and the
// same application without its answer cache on a second port (what a query costs when it is computed).
// Usage: node bin/run-ts.js bench/bench-server.ts DB ENTRIES (a SQLite file is filled when new; a PostgreSQL URL is
// served as it is, filled beforehand by the caller).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { parseConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { createApp } from '../src/server/app.ts';
import { listen } from '../src/server/listen.ts';
import { isPostgresUrl } from '../src/store/index.ts';
import { fillStore } from './fill.ts';

const [db, entriesArg] = process.argv.slice(2);
const entries = Number(entriesArg);
const fresh = !isPostgresUrl(db) && !fs.existsSync(db);
const configDir = isPostgresUrl(db) ? os.tmpdir() : path.dirname(db);
const config = parseConfig(JSON.stringify({ sources: Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, url: `http://127.0.0.1/feed${i}.xml` })) }), path.join(configDir, 'feeds.json'));
const now = Date.now();
const runtime = await openRuntime(config, db, silentLogger());
const fillStarted = performance.now();
if (fresh) await fillStore(runtime.store, entries, now);
const fillMs = performance.now() - fillStarted;

// Cost of one render after invalidation (cold, no cache), averaged.
const renders = 20;
const t = performance.now();
let size = 0;
for (let i = 0; i < renders; i++) size = (await runtime.publisher.render('all', 'rss', 'http://127.0.0.1'))!.body.length;
const renderMs = (performance.now() - t) / renders;

const constant = 'x'.repeat(size);
const appWith = (cached: boolean) => {
  const app = new Hono();
  app.get('/bench/constant', (c) => c.text(constant));
  const responseCache = cached ? runtime.responseCache : undefined;
  app.route('/', createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime.assigner.terms(q), publisher: runtime.publisher, responseCache }));
  return app;
};
const server = await listen(appWith(true), 0, '127.0.0.1');
const uncached = await listen(appWith(false), 0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port: server.port, uncachedPort: uncached.port, feedBytes: size, renderMs, fillMs, fresh })}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  await uncached.close();
  await runtime.close();
  process.exit(0);
});
