// createApp: the Hono application (never listens; see listen.ts).
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import { TrieRouter } from 'hono/router/trie-router';
import { renderOpml } from '../opml/opml.ts';
import type { AppDeps } from './deps.ts';
import { errorBody, handleError } from './errors.ts';
import { CORS, noSniff } from './headers.ts';
import { negotiate } from './representation.ts';
import { apiRoutes } from './routes/api.ts';
import { docsRoutes } from './routes/docs.ts';
import { feedRoutes } from './routes/feeds.ts';
import { mediaRoutes } from './routes/media.ts';
import { webRoutes } from './routes/web.tsx';

/** Builds the HTTP application over an open store. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError(handleError(deps.log));
  // Filled once every route is registered: which paths answer GET, so another method gets 405, not 404.
  const readable = new TrieRouter<true>();
  app.notFound((c) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && readable.match('GET', c.req.path)[0].length) {
      c.header('Allow', 'GET, HEAD, OPTIONS');
      if (method === 'OPTIONS') return c.body(null, 204);
      return c.json(errorBody('method_not_allowed', `${method} is not allowed on ${c.req.path}; it answers GET and HEAD`), 405);
    }
    return c.json(errorBody('not_found', `no route for ${method} ${c.req.path}; see / (web pages), /api/docs (API) or /feeds/all.rss`), 404);
  });
  app.use('*', noSniff());
  if (deps.metrics) app.use('*', measure(deps));

  opsRoutes(app, deps);
  app.get('/sources.opml', async (c) => {
    const titles = new Map((await deps.store.sourceStates()).flatMap((s) => (s.feedTitle ? [[s.id, s.feedTitle] as const] : [])));
    return c.body(renderOpml(deps.config().sources, titles, (deps.now ?? Date.now)()), 200, { 'Content-Type': 'text/x-opml; charset=utf-8' });
  });
  app.use('/api/*', cors(CORS), negotiate());
  app.use('/openapi.json', negotiate());
  if (deps.responseCache) {
    app.use('/api/stories', deps.responseCache.middleware());
    app.use('/api/stories/*', deps.responseCache.middleware());
    app.use('/api/entries', deps.responseCache.middleware());
  }
  app.route('/api', apiRoutes(deps));
  app.route('/feeds', feedRoutes(deps));
  app.route('/media', mediaRoutes(deps));
  app.route('/', docsRoutes());
  app.route('/', webRoutes(deps));
  for (const r of app.routes) if (r.method === 'GET') readable.add('GET', r.path, true);
  return app;
}

/** /healthz and /metrics, for the full app and for a worker's own small listener. */
function opsRoutes(app: Hono, deps: Pick<AppDeps, 'store' | 'config' | 'metrics' | 'metricsToken' | 'status'>): void {
  app.get('/healthz', async (c) => {
    await deps.store.health();
    return c.json({ status: 'ok', sources: deps.config().sources.length, ...(deps.status ? await deps.status() : {}) });
  });
  if (deps.metricsToken) {
    const refused = (message: string) => errorBody('unauthorized', message);
    app.use(
      '/metrics',
      bearerAuth({
        token: deps.metricsToken,
        realm: 'storywire metrics',
        noAuthenticationHeader: { message: refused('/metrics needs Authorization: Bearer <STORYWIRE_METRICS_TOKEN>') },
        invalidAuthenticationHeader: { message: errorBody('invalid_request', 'Authorization must be "Bearer <token>"') },
        invalidToken: { message: refused('wrong metrics token') },
      }),
    );
  }
  app.get('/metrics', async (c) => {
    if (!deps.metrics) return c.json(errorBody('not_found', 'metrics are not enabled'), 404);
    return c.body(await deps.metrics.registry.metrics(), 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
}

/** The app of a process without web pages (`storywire worker --metrics-port`): /healthz and /metrics only. */
export function createOpsApp(deps: Pick<AppDeps, 'store' | 'config' | 'log' | 'metrics' | 'metricsToken' | 'status'>): Hono {
  const app = new Hono();
  app.onError(handleError(deps.log));
  app.use('*', noSniff());
  opsRoutes(app, deps);
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}; a worker answers /healthz and /metrics`), 404));
  return app;
}

function measure(deps: AppDeps) {
  const metrics = deps.metrics!;
  return async (c: Parameters<Parameters<Hono['use']>[1]>[0], next: () => Promise<void>) => {
    const started = performance.now();
    await next();
    // The route of the handler that matched; only middleware matched for 404s, 405s and preflights.
    const route = matchedRoutes(c).filter((r) => r.method !== 'ALL').at(-1)?.path ?? 'unmatched';
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpSeconds.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  };
}
