// The OpenAPI 3.1 document, generated from the same zod schemas that validate queries and describe answers.
import { z } from 'zod';
import { PACKAGE } from '../config/index.ts';
import { TOP_DOUBLING_MS } from '../store/index.ts';
import { entryQuery, storyQuery } from './params.ts';
import { entryListSchema, entrySchema, errorSchema, fetchSchema, healthSchema, sourceListSchema, sourceSchema, storyListSchema, storySchema } from './schemas.ts';

const PARAM_DOCS: Record<string, string> = {
  q: 'Full-text search over titles and summaries; name variants meet (Zelensky finds Zelenskyy)',
  sort:
    'newest (default): by first publication. top: by how widely a story is covered, weighted by recency (see the operation). ' +
    'relevance: BM25 of the best-matching entry, needs q. newest and top page by keyset, stable while entries arrive; relevance by offset',
  source: 'Comma-separated source ids',
  tag: 'Comma-separated source tags',
  feed: 'A curated feed slug from feeds.json, or "all"',
  since: 'Only items published at or after this time (RFC 3339)',
  until: 'Only items published at or before this time (RFC 3339)',
  min_sources: 'Only stories covered by at least this many sources',
  limit: 'Page size, 1-100 (default 20)',
  cursor: 'The next_cursor of the previous page, sent with the same sort (a cursor of another sort is a 400)',
};

// The top order's doubling time, in hours, as the store computes the key.
const H = TOP_DOUBLING_MS / 3_600_000;

const STORIES_DESCRIPTION = [
  'Stories matching every filter given, newest first by default.',
  '',
  `\`sort=top\` ranks them by outlets weighted by recency: \`outlets × 2^(−age / ${H} h)\`, where outlets is the number of ` +
    'distinct sources covering the story and age counts from its first publication. That is the order of the key ' +
    `\`first publication + ${H} h × log2(outlets)\`, which does not depend on the time of the request: a story covered by ` +
    `two outlets ranks with a single-outlet story ${H} hours newer, four outlets with one ${2 * H} hours newer. Ties go to the ` +
    'later story. Its pages use a keyset cursor like `newest`, so paging never repeats a story; one that gains an ' +
    'outlet while you page moves up, and once past your page later pages do not show it (as later pages of `newest` ' +
    'do not show new stories).',
].join('\n');

function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    description: PARAM_DOCS[name],
    schema: bare(z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' })),
  }));
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = { '400': json(ref('Error'), 'Invalid parameter'), '404': json(ref('Error'), 'Not found') };

/** The OpenAPI 3.1 document of the JSON API. */
export function openApiDocument(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of [['Entry', entrySchema], ['Story', storySchema], ['Source', sourceSchema], ['Fetch', fetchSchema], ['Error', errorSchema]] as const) registry.add(s, { id });
  const components = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` }).schemas;
  // Schemas with an id go to components; point the inline documents' local $defs refs there instead.
  const inline = (s: z.ZodType) => {
    const { $defs: _defs, ...schema } = bare(z.toJSONSchema(s, { metadata: registry, unrepresentable: 'any' }));
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
  };
  return {
    openapi: '3.1.0',
    info: { title: 'storywire API', version: PACKAGE.version, description: 'Stories grouped across news outlets, their entries and the polled sources.' },
    paths: {
      '/api/stories': { get: { summary: 'Stories, newest first or top first', description: STORIES_DESCRIPTION, parameters: queryParameters(storyQuery), responses: { '200': json(inline(storyListSchema), 'A page of stories'), ...errors } } },
      '/api/stories/{id}': {
        get: {
          summary: 'One story with its entries',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': json(ref('Story'), 'The story'), '404': errors['404'] },
        },
      },
      '/api/entries': { get: { summary: 'Entries, newest first', parameters: queryParameters(entryQuery), responses: { '200': json(inline(entryListSchema), 'A page of entries'), ...errors } } },
      '/api/sources': { get: { summary: 'Every configured source with its health and recent polls', responses: { '200': json(inline(sourceListSchema), 'The sources') } } },
      '/media/{token}': {
        get: {
          summary: "An entry's picture through the media proxy (settings.mediaProxy)",
          description:
            'The address is the proxy_url of an image object; token is the picture URL in base64url without padding. Only a stored ' +
            "entry's picture is served (raster images only: JPEG, PNG, GIF, WebP, AVIF, BMP, ICO), with a strong ETag and " +
            '`Cache-Control: public, max-age=604800`. 404 while the proxy is off or for a URL no entry has; 502 (504 on a timeout) ' +
            'when the outlet does not give an image within the limits, with error codes media_not_image, media_not_image_bytes, ' +
            'media_too_large, media_upstream_error, media_unreachable or media_timeout.',
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' } }],
          responses: {
            '200': { description: 'The picture', content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } } },
            '304': { description: 'Not modified (If-None-Match)' },
            ...errors,
            '502': json(ref('Error'), 'The outlet did not give an image within the limits'),
            '504': json(ref('Error'), 'The outlet did not answer in time'),
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': json(inline(healthSchema), 'The database is open') } } },
    },
    components: { schemas: stripDefs(components) },
  };
}

// toJSONSchema documents carry a $schema header (and components an id); OpenAPI 3.1 wants bare schemas.
function bare(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, $id: _uri, id: _id, ...rest } = schema;
  return rest;
}

function stripDefs(schemas: Record<string, Record<string, unknown>>) {
  return Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, bare(v)]));
}
