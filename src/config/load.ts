// Loads feeds.json once: parse, validate completely, resolve defaults, freeze.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema, crossCheck, durationMs, knownKeysAt, type ConfigIssue, type RawConfig } from './schema.ts';
import { suggest } from './suggest.ts';
import { PACKAGE } from './package-info.ts';

/** A source as the rest of the service sees it: defaults applied, durations in milliseconds. */
export interface Source {
  id: string;
  url: string;
  title: string | null;
  tags: string[];
  enabled: boolean;
  intervalMs: number;
  priority: number;
}

/** A curated feed's rules, resolved. */
export interface FeedRules {
  slug: string;
  title: string;
  description: string | null;
  include: string[];
  exclude: string[];
  sources: string[];
  tags: string[];
  minSources: number;
  maxAgeMs: number | null;
  limit: number;
  /** The order of the feed's web page (its documents are always newest first). */
  sort: 'newest' | 'top';
}

/** Service-wide options, resolved. */
export interface Settings {
  schedule: string;
  intervalMs: number;
  concurrency: number;
  perHostConcurrency: number;
  timeoutMs: number;
  maxBodyBytes: number;
  userAgent: string;
  publicUrl: string | null;
  storyWindowMs: number;
  aliasesFile: string | null;
  cacheMaxAgeSeconds: number;
  websubHub: string | null;
  /** How long leases last without renewal (source fetches, clustering leadership). */
  leaseMs: number;
  /** Whether /media/ serves entries' pictures (and published pictures point there). */
  mediaProxy: boolean;
  /** Largest picture the media proxy fetches. */
  mediaMaxBytes: number;
}

/** The validated, frozen configuration. */
export interface Config {
  file: string;
  settings: Settings;
  sources: Source[];
  feeds: FeedRules[];
}

/**
 * Thrown when feeds.json cannot be used; carries every problem found. A problem with the file as a whole (missing,
 * unreadable, not JSON) is one issue at the root and a one-line message; problems inside it are listed one per line.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    const whole = issues.length === 1 && issues[0].path.length === 0;
    super(whole ? `config: ${issues[0].message}` : `config: ${file} is invalid:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Renders an issue as `path: message`, with the path in JSON-path style ($.sources[2].url). */
export function formatIssue(issue: ConfigIssue): string {
  const p = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join('');
  return `  $${p}: ${issue.message}`;
}

/** Reads and validates a config file; throws ConfigError listing every problem. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: [], message: unreadable(e as NodeJS.ErrnoException, path.resolve(file)) }]);
  }
  return parseConfig(text, file);
}

function unreadable(e: NodeJS.ErrnoException, abs: string): string {
  if (e.code === 'ENOENT') return `not found: ${abs}; create one (see README) or pass --config`;
  if (e.code === 'EISDIR') return `${abs} is a folder; pass --config with the path of feeds.json`;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `cannot read ${abs}: permission denied; make it readable for this user`;
  return `cannot read ${abs}: ${e.code ?? e.message}`;
}

/** Where a JSON.parse error happened, as "line L, column C", from the position V8 reports. */
function jsonErrorPlace(message: string, text: string): string | null {
  const m = /at position (\d+)/.exec(message);
  const position = m ? Number(m[1]) : /Unexpected end of JSON input/.test(message) ? text.length : null;
  if (position === null) return null;
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Validates config text; `file` locates relative paths and names the file in errors. */
export function parseConfig(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const reason = (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    const place = jsonErrorPlace((e as Error).message, text);
    throw new ConfigError(file, [{ path: [], message: `not valid JSON: ${path.resolve(file)}${place ? ` at ${place}` : ''}: ${reason}` }]);
  }
  const result = configSchema.safeParse(raw);
  const issues = [...(result.success ? [] : result.error.issues.flatMap(toIssues)), ...crossCheck(raw)];
  if (!result.success || issues.length) throw new ConfigError(file, sortIssues(issues));
  return resolve(result.data, file);
}

function toIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => {
      const hint = suggest(key, known);
      return { path: [...path, key], message: `unknown key${hint ? `; did you mean "${hint}"?` : known.length ? ` (known keys: ${known.join(', ')})` : ''}` };
    });
  }
  return [{ path, message: plainMessage(issue) }];
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `is required (${issue.expected})`;
  return issue.message.replace(/^Invalid input: /, '');
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const key = (i: ConfigIssue) => i.path.map((k) => (typeof k === 'number' ? String(k).padStart(6, '0') : k)).join('/');
  return [...issues].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function resolve(raw: RawConfig, file: string): Config {
  const s = raw.settings;
  const settings: Settings = {
    schedule: s.schedule,
    intervalMs: durationMs(s.interval),
    concurrency: s.concurrency,
    perHostConcurrency: s.perHostConcurrency,
    timeoutMs: durationMs(s.timeout),
    maxBodyBytes: s.maxBodyBytes,
    userAgent: s.userAgent ?? `storywire/${PACKAGE.version} (+${PACKAGE.homepage})`,
    publicUrl: s.publicUrl ? s.publicUrl.replace(/\/+$/, '') : null,
    storyWindowMs: durationMs(s.storyWindow),
    aliasesFile: s.aliasesFile ? path.resolve(path.dirname(file), s.aliasesFile) : null,
    cacheMaxAgeSeconds: durationMs(s.cacheMaxAge) / 1000,
    websubHub: s.websubHub ?? null,
    leaseMs: durationMs(s.lease),
    mediaProxy: s.mediaProxy,
    mediaMaxBytes: s.mediaMaxBytes,
  };
  const sources = raw.sources.map((src) => ({
    id: src.id,
    url: src.url,
    title: src.title ?? null,
    tags: src.tags,
    enabled: src.enabled,
    intervalMs: src.interval ? durationMs(src.interval) : settings.intervalMs,
    priority: src.priority,
  }));
  const feeds = raw.feeds.map((f) => ({
    slug: f.slug,
    title: f.title,
    description: f.description ?? null,
    include: f.include,
    exclude: f.exclude,
    sources: f.sources,
    tags: f.tags,
    minSources: f.minSources,
    maxAgeMs: f.maxAge ? durationMs(f.maxAge) : null,
    limit: f.limit,
    sort: f.sort,
  }));
  return deepFreeze({ file: path.resolve(file), settings, sources, feeds });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
