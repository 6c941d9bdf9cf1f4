// zod schemas of the API's answers: the OpenAPI document is generated from them and tests validate real answers against them.
import { z } from 'zod';
import { FETCH_HISTORY_KEPT } from '../store/index.ts';

const time = z.string().meta({ format: 'date-time', description: 'RFC 3339, UTC' });

const imageSchema = z.object({
  url: z.string().meta({ description: 'Absolute http(s) URL, percent-encoded as the feeds publish links' }),
  width: z.number().int().nullable().meta({ description: 'In pixels, when the feed states it' }),
  height: z.number().int().nullable().meta({ description: 'In pixels, when the feed states it' }),
  proxy_url: z
    .string()
    .nullable()
    .meta({ description: "The picture on storywire's media proxy (/media/{token}), which readers can load without contacting the outlet; null while the proxy is off (settings.mediaProxy)" }),
});

export const entrySchema = z
  .object({
    id: z.number().int(),
    source_id: z.string(),
    story_id: z.number().int().nullable(),
    title: z.string(),
    url: z.string().nullable().meta({ description: 'The link as the outlet published it, made absolute, in the percent-encoded form the feeds publish (null when not http(s))' }),
    summary: z.string(),
    author: z.string().nullable(),
    categories: z.array(z.string()),
    published_at: time,
    updated_at: time.nullable(),
    image: imageSchema.nullable().meta({
      description:
        "The item's picture: media:content of an image type (the widest up to 2000 px), media:thumbnail, an image enclosure, " +
        'itunes:image, JSON Feed image or banner_image, else the first <img> of its HTML; null when it has none',
    }),
  })
  .meta({ id: 'Entry' });

export const storySchema = z
  .object({
    id: z.number().int(),
    title: z.string().meta({ description: "The representative entry's headline" }),
    url: z.string().nullable().meta({ description: "The representative entry's link" }),
    summary: z.string(),
    published_at: time.meta({ description: 'When the story was first seen' }),
    updated_at: time.meta({ description: 'When an entry last joined or changed' }),
    sources_count: z.number().int(),
    sources: z.array(z.string()),
    image: imageSchema.nullable().meta({ description: "The representative entry's image, else the first entry's (by publication) that has one" }),
    entries: z.array(entrySchema),
  })
  .meta({ id: 'Story' });

export const fetchSchema = z
  .object({
    fetched_at: time,
    outcome: z.enum(['ok', 'not_modified', 'error']).meta({ description: 'ok: a feed read and stored; not_modified: nothing new to read (a 304, or the same bytes as the last poll); error: the poll failed' }),
    http_status: z.number().int().nullable().meta({ description: 'The HTTP status of the answer; null when there was none (network error, timeout)' }),
    error_kind: z.string().nullable().meta({ description: 'Why the poll failed (http-error, timeout, network, parse, ...); null unless outcome is error' }),
    new_entries: z.number().int().meta({ description: 'Entries this poll stored for the first time' }),
    updated_entries: z.number().int().meta({ description: 'Stored entries this poll found edited' }),
    duration_ms: z.number().int().nullable().meta({ description: 'How long the poll took: fetch, parse and store; null when unknown' }),
  })
  .meta({ id: 'Fetch' });

export const sourceSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    url: z.string(),
    tags: z.array(z.string()),
    enabled: z.boolean(),
    status: z.enum(['new', 'ok', 'error', 'disabled']),
    last_fetched_at: time.nullable(),
    last_success_at: time.nullable(),
    last_error: z.string().nullable(),
    last_error_kind: z.string().nullable(),
    last_http_status: z.number().int().nullable(),
    consecutive_failures: z.number().int(),
    next_fetch_at: time.nullable(),
    permanent_redirect: z.string().nullable(),
    entries_count: z.number().int(),
    history: z.array(fetchSchema).meta({ description: `The source's recent polls (at most ${FETCH_HISTORY_KEPT}), oldest first; empty before its first poll` }),
  })
  .meta({ id: 'Source' });

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'Error' });

const cursor = z.string().nullable().meta({ description: 'Pass as `cursor` to get the next page; null on the last page' });
export const storyListSchema = z.object({ stories: z.array(storySchema), next_cursor: cursor });
export const entryListSchema = z.object({ entries: z.array(entrySchema), next_cursor: cursor });
export const sourceListSchema = z.object({ sources: z.array(sourceSchema) });
export const healthSchema = z.object({
  status: z.literal('ok'),
  sources: z.number().int(),
  role: z.enum(['serve', 'web', 'worker']).optional().meta({ description: 'serve: web, polling and clustering in one process; web: serve --no-poll; worker: polling only' }),
  engine: z.enum(['sqlite', 'postgres']).optional(),
  node: z.string().optional().meta({ description: 'This process as lease holders name it: <host>:<pid>:<random>' }),
  leases: z.number().int().optional().meta({ description: 'Sources this process is fetching (holds a lease on)' }),
  leader: z.boolean().optional().meta({ description: 'True while this process assigns entries to stories (the clustering lease)' }),
  backlog: z.number().int().optional().meta({ description: 'Entries stored and waiting for the clustering leader; hidden until assigned' }),
});
