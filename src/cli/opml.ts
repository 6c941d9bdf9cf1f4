// `storywire export-opml` and `storywire import-opml FILE [--dry-run]`.
import fs from 'node:fs';
import { loadConfig } from '../config/index.ts';
import { formatValidConfig } from '../config/writer.ts';
import { parseOpml, renderOpml } from '../opml/opml.ts';
import { isPostgresUrl, openStorage } from '../store/index.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** Prints the sources as OPML 2.0; sources without a title in feeds.json get their feed's own title when the database has it. */
export async function exportOpmlCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  const env = runtimeEnv(values);
  const config = loadConfig(env.configPath);
  process.stdout.write(renderOpml(config.sources, await feedTitles(env.dbPath), Date.now()));
  return 0;
}

// Feed titles from the database, opened read-only (never migrated or created); none when there is no database yet.
async function feedTitles(dbPath: string): Promise<Map<string, string>> {
  if (!isPostgresUrl(dbPath) && !fs.existsSync(dbPath)) return new Map();
  const store = await openStorage(dbPath, { readonly: true });
  try {
    return new Map((await store.sourceStates()).flatMap((s) => (s.feedTitle ? [[s.id, s.feedTitle] as [string, string]] : [])));
  } finally {
    await store.close();
  }
}

/** Adds the feeds of an OPML file to feeds.json (skipping URLs already there); --dry-run only shows them. */
export async function importOpmlCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'dry-run': { type: 'boolean' } });
  const file = positionals[0];
  if (!file) throw new UsageError('import-opml needs the OPML file to read');
  const configPath = runtimeEnv(values).configPath;
  loadConfig(configPath); // refuse to edit a file that is already invalid
  const raw = JSON.parse(fs.readFileSync(configPath, 'utf8')) as Record<string, unknown> & { sources: { id: string; url: string }[] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const feeds = await parseOpml(text).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  const known = new Set(raw.sources.map((s) => s.url));
  const ids = new Set(raw.sources.map((s) => s.id));
  const added = [];
  for (const feed of feeds) {
    if (known.has(feed.url) || !URL.canParse(feed.url) || !/^https?:$/.test(new URL(feed.url).protocol)) continue;
    known.add(feed.url);
    const id = uniqueId(slugify(feed.title ?? new URL(feed.url).hostname), ids);
    const tags = [...new Set(feed.categories.map(slugify).filter(Boolean))];
    added.push({ id, ...(feed.title ? { title: feed.title.slice(0, 200) } : {}), url: feed.url, ...(tags.length ? { tags } : {}) });
  }
  const next = formatValidConfig({ ...raw, sources: [...raw.sources, ...added] }, configPath);
  for (const s of added) console.log(`${values['dry-run'] ? 'would add' : 'added'} ${s.id}  ${s.url}`);
  console.log(`${added.length} new source${added.length === 1 ? '' : 's'}, ${feeds.length - added.length} skipped (already present or not http(s))`);
  if (!values['dry-run'] && added.length) fs.writeFileSync(configPath, next);
  return 0;
}

/** A lowercase slug of a title. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

function uniqueId(base: string, taken: Set<string>): string {
  const root = base || 'source';
  let id = root;
  for (let n = 2; taken.has(id); n++) id = `${root}-${n}`;
  taken.add(id);
  return id;
}
