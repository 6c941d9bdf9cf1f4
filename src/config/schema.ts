// The feeds.json schema: the single definition behind validation, defaults and the emitted JSON Schema.
import cron from 'node-cron';
import { z } from 'zod';
import { parseTermSyntax } from './terms.ts';
import { DEFAULT_WINDOW_HOURS } from '../stories/options.ts';

/** A duration such as "90s", "15m", "2h" or "1d". */
const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Converts a validated duration string to milliseconds. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`config: not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const duration = (min: string, max: string) =>
  z
    .string()
    .regex(DURATION, 'must be a duration like "30s", "15m", "2h" or "1d"')
    .refine((v) => !DURATION.test(v) || (durationMs(v) >= durationMs(min) && durationMs(v) <= durationMs(max)), {
      message: `must be between ${min} and ${max}`,
    })
    .meta({ description: `A duration: a number followed by s, m, h or d (${min} to ${max}).` });

const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v), 'must be an absolute URL')
  .refine((v) => !URL.canParse(v) || ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http(s) URL');

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug (a-z, 0-9 and single hyphens)')
  .max(64);

const term = z.string().min(1, 'must not be empty').max(200);

export const sourceSchema = z
  .strictObject({
    id: slug.meta({ description: 'Stable identifier of the source (lowercase slug, unique).' }),
    url: httpUrl.meta({ description: 'The feed URL (RSS, Atom or JSON Feed).' }),
    title: z.string().min(1).max(200).optional().meta({ description: 'Display name; defaults to the feed title.' }),
    tags: z.array(slug).default([]).meta({ description: 'Tags such as region or topic, used by curated feeds.' }),
    enabled: z.boolean().default(true).meta({ description: 'false keeps the source and its entries but stops polling it.' }),
    interval: duration('1m', '7d').optional().meta({ description: 'Minimum time between two polls of this source.' }),
    priority: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .meta({ description: 'Higher wins when choosing the headline of a story covered by several sources.' }),
  })
  .meta({ description: 'A feed storywire polls.' });

export const feedSchema = z
  .strictObject({
    slug: slug.refine((v) => v !== 'all', '"all" is built in').meta({ description: 'URL name: /feeds/<slug>.rss' }),
    title: z.string().min(1).max(200),
    description: z.string().max(1000).optional(),
    include: z
      .array(term)
      .default([])
      .meta({ description: 'Terms, any of which selects a story (whole words, case- and accent-insensitive; "quoted phrases"; /regex/).' }),
    exclude: z.array(term).default([]).meta({ description: 'Terms that reject a story, same syntax as include.' }),
    sources: z.array(slug).default([]).meta({ description: 'Only stories covered by one of these sources.' }),
    tags: z.array(slug).default([]).meta({ description: 'Only stories covered by a source with one of these tags.' }),
    minSources: z.number().int().min(1).max(50).default(1).meta({ description: 'Only stories covered by at least this many sources.' }),
    maxAge: duration('1h', '365d').optional().meta({ description: 'Only stories first seen within this age.' }),
    limit: z.number().int().min(1).max(500).default(50).meta({ description: 'Maximum number of items in the feed.' }),
    sort: z
      .enum(['newest', 'top'])
      .default('newest')
      .meta({ description: 'Order of the feed\'s web page: newest first, or top (the most widely covered first, weighted by recency). The feed documents stay newest first.' }),
  })
  .meta({ description: 'A curated output feed of stories.' });

const settingsSchema = z
  .strictObject({
    schedule: z
      .string()
      .refine((v) => cron.validate(v), 'must be a valid cron expression (5 or 6 fields)')
      .default('*/15 * * * *')
      .meta({ description: 'When the scheduler runs a pass (cron).' }),
    interval: duration('1m', '7d').default('15m').meta({ description: 'Default minimum time between polls of a source.' }),
    concurrency: z.number().int().min(1).max(64).default(8).meta({ description: 'Sources fetched at once.' }),
    perHostConcurrency: z.number().int().min(1).max(16).default(2).meta({ description: 'Sources fetched at once from one host.' }),
    timeout: duration('1s', '5m').default('20s').meta({ description: 'Whole-request timeout, body included.' }),
    maxBodyBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(15 * 1024 * 1024),
    userAgent: z.string().min(1).max(300).optional().meta({ description: 'Defaults to storywire/<version> (+<homepage>).' }),
    publicUrl: httpUrl.optional().meta({ description: 'Public base URL for links in feeds; defaults to the request origin.' }),
    storyWindow: duration('1h', '30d').default(`${DEFAULT_WINDOW_HOURS}h`).meta({ description: 'How far apart in time entries of one story may be.' }),
    aliasesFile: z.string().min(1).optional().meta({ description: 'JSON file of extra name aliases, relative to feeds.json.' }),
    cacheMaxAge: duration('1s', '1d').default('5m').meta({ description: 'Cache-Control max-age of served feeds.' }),
    websubHub: httpUrl.optional().meta({ description: 'WebSub hub advertised by feeds and pinged after changes.' }),
    mediaProxy: z
      .union([z.boolean(), z.enum(['on', 'off'])], { error: 'must be true, false, "on" or "off"' })
      .transform((v) => v === true || v === 'on')
      .prefault(false)
      .meta({
        description:
          "Serve entries' pictures from /media/ (fetched by storywire) instead of linking the outlets' servers, so readers' browsers never contact them: true or \"on\", false or \"off\" (the default).",
      }),
    mediaMaxBytes: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(5 * 1024 * 1024)
      .meta({ description: 'Largest picture the media proxy fetches, in bytes (the timeout and redirects are those of feeds).' }),
    lease: duration('2s', '10m')
      .default('10s')
      .meta({ description: 'How long a poller holds a source it fetches, and the clustering leader its role, without renewing (renewed every third of it): a killed process is replaced within this time.' }),
  })
  .meta({ description: 'Service-wide options; every one has a default.' });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    settings: settingsSchema.prefault({}),
    sources: z.array(sourceSchema).meta({ description: 'The feeds to poll.' }),
    feeds: z.array(feedSchema).default([]).meta({ description: 'Curated output feeds; "all" always exists.' }),
  })
  .meta({ description: 'storywire configuration: the sources to poll and the feeds to publish.' });

/** One problem found in feeds.json, with its JSON path. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/** Checks across entries (duplicates, references, regexes), run on the raw JSON so they report even when other fields are wrong. */
export function crossCheck(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const root = (raw ?? {}) as { sources?: unknown; feeds?: unknown };
  const sources = Array.isArray(root.sources) ? root.sources : [];
  const feeds = Array.isArray(root.feeds) ? root.feeds : [];
  issues.push(...duplicates(sources, 'sources', 'id', 'source id'), ...duplicates(feeds, 'feeds', 'slug', 'feed slug'));
  const ids = new Set(sources.map((s) => (s as { id?: unknown })?.id));
  feeds.forEach((f, i) => {
    const feed = (f ?? {}) as Record<string, unknown>;
    stringsAt(feed.sources).forEach(([j, s]) => {
      if (!ids.has(s)) issues.push({ path: ['feeds', i, 'sources', j], message: `unknown source id "${s}"` });
    });
    for (const key of ['include', 'exclude'])
      stringsAt(feed[key]).forEach(([j, t]) => {
        const parsed = parseTermSyntax(t);
        if ('error' in parsed) issues.push({ path: ['feeds', i, key, j], message: parsed.error });
      });
  });
  return issues;
}

function stringsAt(value: unknown): [number, string][] {
  return Array.isArray(value) ? value.flatMap((v, i) => (typeof v === 'string' ? [[i, v] as [number, string]] : [])) : [];
}

function duplicates(items: unknown[], list: string, key: string, what: string): ConfigIssue[] {
  const seen = new Map<unknown, number>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, i) => {
    const v = (item as Record<string, unknown> | null)?.[key];
    if (typeof v !== 'string') return;
    if (seen.has(v)) issues.push({ path: [list, i, key], message: `duplicate ${what} "${v}" (first at ${list}[${seen.get(v)}])` });
    else seen.set(v, i);
  });
  return issues;
}

export type RawConfig = z.output<typeof configSchema>;

/** Known keys of the object at a JSON path, for did-you-mean suggestions. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path[0] === 'settings' && path.length === 1) return Object.keys(settingsSchema.shape);
  if (path[0] === 'sources' && path.length === 2) return Object.keys(sourceSchema.shape);
  if (path[0] === 'feeds' && path.length === 2) return Object.keys(feedSchema.shape);
  return [];
}

/** The JSON Schema document of feeds.json, for editors (written to feeds.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }), title: 'storywire feeds.json' };
}
