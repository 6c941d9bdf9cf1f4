// `storywire sources`: every source's health as a table in the terminal.
import { loadConfig } from '../config/index.ts';
import { openStorage } from '../store/index.ts';
import { sourceJson } from '../server/json.ts';
import { parseFlags, runtimeEnv } from './args.ts';
import { formatTable } from './table.ts';

/** Prints the table; exit 0. */
export async function sourcesCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {});
  const env = runtimeEnv(values);
  const config = loadConfig(env.configPath);
  // Read-only: looking at a live database never migrates or writes it, and a missing one is an error, not a new file.
  const store = await openStorage(env.dbPath, { readonly: true });
  try {
    const rows = new Map((await store.sourceStates()).map((r) => [r.id, r]));
    const now = Date.now();
    const table = config.sources.map((s) => {
      const j = sourceJson(s, rows.get(s.id));
      return [j.id, j.status, String(j.entries_count), ago(j.last_success_at, now), j.consecutive_failures ? String(j.consecutive_failures) : '', until(j.next_fetch_at, now), j.last_error ?? (j.permanent_redirect ? `moved to ${j.permanent_redirect}` : '')];
    });
    console.log(formatTable(['SOURCE', 'STATUS', 'ENTRIES', 'LAST SUCCESS', 'FAILURES', 'NEXT POLL', 'LAST ERROR'], table));
    return 0;
  } finally {
    await store.close();
  }
}

function ago(iso: string | null, now: number): string {
  return iso ? `${human(now - Date.parse(iso))} ago` : 'never';
}

function until(iso: string | null, now: number): string {
  if (!iso) return 'now';
  const d = Date.parse(iso) - now;
  return d <= 0 ? 'due' : `in ${human(d)}`;
}

function human(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return '<1m';
  if (m < 120) return `${m}m`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h}h` : `${Math.round(h / 24)}d`;
}
