// Child process of the HTTP benchmarks: fills (or opens) a database, serves storywire plus a constant route.
// Usage: node bin/run-ts.js bench/bench-server.ts DB ENTRIES
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { parseConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { createApp } from '../src/server/app.ts';
import { listen } from '../src/server/listen.ts';
import { fillStore } from './fill.ts';

const [db, entriesArg] = process.argv.slice(2);
const entries = Number(entriesArg);
const fresh = !fs.existsSync(db);
const config = parseConfig(JSON.stringify({ sources: Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, url: `http://127.0.0.1/feed${i}.xml` })) }), path.join(path.dirname(db), 'feeds.json'));
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
const app = new Hono();
app.get('/bench/constant', (c) => c.text(constant));
app.route('/', createApp({ store: runtime.store, config: runtime.config, log: silentLogger(), searchTerms: (q) => runtime.assigner.terms(q), publisher: runtime.publisher, responseCache: runtime.responseCache }));
const server = await listen(app, 0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port: server.port, feedBytes: size, renderMs, fillMs, fresh })}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  await runtime.close();
  process.exit(0);
});
