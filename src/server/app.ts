// createApp: the Hono application (never listens; see listen.ts).
import { Hono } from 'hono';
import type { AppDeps } from './deps.ts';
import { errorBody, handleError } from './errors.ts';
import { apiRoutes } from './routes/api.ts';

/** Builds the HTTP application over an open store. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError(handleError(deps.log));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  app.get('/healthz', (c) => {
    deps.store.sqlite.prepare('SELECT 1').get();
    return c.json({ status: 'ok', sources: deps.config().sources.length });
  });
  app.route('/api', apiRoutes(deps));
  return app;
}
