// Query parameters, validated with zod; a bad value is a 400 naming the parameter.
import { z } from 'zod';
import { ApiError } from './errors.ts';

const time = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}/.test(v), 'must be an RFC 3339 date or date-time, e.g. 2026-05-01T12:00:00Z')
  .transform((v) => Date.parse(v));

const list = z
  .string()
  .max(2000)
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const LIMIT = 'must be an integer from 1 to 100 (the page size; default 20)';

const common = {
  since: time.optional(),
  until: time.optional(),
  limit: z.coerce.number(LIMIT).int(LIMIT).min(1, LIMIT).max(100, LIMIT).default(20),
  cursor: z.string().max(200).optional(),
  // An empty (or blank) query means no search, as on the web pages.
  q: z
    .string()
    .max(500, 'must be at most 500 characters')
    .transform((v) => v.trim() || undefined)
    .optional(),
};

/** Parameters of GET /api/stories. */
export const storyQuery = z.object({
  ...common,
  source: list.optional(),
  tag: list.optional(),
  feed: z.string().max(64).optional(),
  min_sources: z.coerce.number('must be an integer of at least 1').int('must be an integer').min(1, 'must be at least 1').max(1000).optional(),
  sort: z.enum(['newest', 'top', 'relevance'], 'must be "newest", "top" or "relevance"').default('newest'),
});

/** Parameters of GET /api/entries. */
export const entryQuery = z.object({ ...common, source: list.optional() });

/** Validates a query object against a schema, turning the first problems into one 400 message. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const r = schema.safeParse(query);
  if (r.success) return r.data;
  const message = r.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  throw new ApiError(400, 'invalid_parameter', message);
}

/** A positive integer path id, else 404 (an id that cannot exist is simply not found). */
export function parseId(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(404, 'not_found', `${what} ${JSON.stringify(raw.slice(0, 40))} not found`);
  return Number(raw);
}
