// One error type for the HTTP layer and one handler that renders every error as JSON.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Config } from '../config/index.ts';
import type { Logger } from '../lib/logger.ts';
import { publishableText } from '../normalize/text.ts';

/** An error with an HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The error body every route uses: `{ error: { code, message } }`. */
export function errorBody(code: string, message: string) {
  // Messages quote the request (a slug, a parameter): cleaned like any published text.
  return { error: { code, message: publishableText(message) } };
}

/** Hono onError: ApiErrors keep their status; anything else is a bug, logged and answered 500. */
export function handleError(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
    // Middleware answers (e.g. bearer auth's 401) that were built as responses already.
    if (err instanceof HTTPException && err.status < 500) return err.getResponse();
    log.error({ err, path: c.req.path }, 'http.unhandled_error');
    return c.json(errorBody('internal_error', 'internal server error'), 500);
  };
}

/** Every feed slug, for messages: "all, ukraine, ...". */
export function feedSlugs(config: Config): string {
  return listForMessage(['all', ...config.feeds.map((f) => f.slug)]);
}

/** Names joined for a message, the first `max` of them. */
export function listForMessage(names: string[], max = 30): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}
