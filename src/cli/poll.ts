// `storywire poll`: one pass now over every enabled source (or one), with a per-source summary.
import { loadServiceConfig } from './service-config.ts';
import { createLogger } from '../lib/logger.ts';
import type { SourceOutcome } from '../pipeline/poll-source.ts';
import { openRuntime } from '../runtime.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';
import { formatTable } from './table.ts';

/** Runs one pass; exit 0 when the pass ran, even if sources failed. */
export async function pollCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { source: { type: 'string' } });
  const env = runtimeEnv(values);
  const config = loadServiceConfig(env.configPath);
  const sourceId = values.source as string | undefined;
  if (sourceId && !config.sources.some((s) => s.id === sourceId)) throw new UsageError(`unknown source "${sourceId}" (see ${env.configPath})`);
  // Logs go to stderr as JSON only when asked for; the terminal gets the table.
  const log = createLogger(process.env.LOG_LEVEL ? env.logLevel : 'error', { format: env.logFormat });
  const runtime = await openRuntime(config, env.dbPath, log);
  try {
    const tty = process.stderr.isTTY;
    const summary = await runtime.poll({
      sourceId,
      onSource: (o, done, total) => {
        if (tty) process.stderr.write(`\r\x1b[K[${done}/${total}] ${o.sourceId} ${o.status}`);
      },
    });
    if (tty) process.stderr.write('\r\x1b[K');
    // Where several processes poll one database, entries this pass queued (not leading) and others queued before are
    // assigned now if no other process leads; else the leader assigns them.
    const queued = runtime.leadership.shared ? await runtime.assignQueue() : null;
    const changed = new Set([...summary.changedStories, ...(queued?.changedStories ?? [])]);
    console.log(outcomeTable(summary.outcomes));
    console.log(
      `\n${summary.outcomes.length} sources polled in ${(summary.ms / 1000).toFixed(1)}s: ${summary.newEntries} new entries, ${summary.updatedEntries} updated, ${changed.size} stories changed, ${summary.failed} failed`,
    );
    if (runtime.leadership.shared && !queued) {
      const waiting = await runtime.store.pendingCount();
      const leader = await runtime.leadership.current();
      if (waiting) console.log(`${waiting} entries wait for the clustering leader (${leader?.holder ?? 'none'}), which assigns them to stories`);
    }
    return 0;
  } finally {
    await runtime.close();
  }
}

function outcomeTable(outcomes: SourceOutcome[]): string {
  const rows = [...outcomes]
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId))
    .map((o) => [o.sourceId, o.status, o.httpStatus ? String(o.httpStatus) : '-', `+${o.newEntries}`, `~${o.updatedEntries}`, `${o.ms}ms`, note(o)]);
  return formatTable(['SOURCE', 'STATUS', 'HTTP', 'NEW', 'UPDATED', 'TIME', 'NOTE'], rows);
}

function note(o: SourceOutcome): string {
  const parts = [];
  if (o.error) parts.push(o.error.message.startsWith(o.error.kind) ? o.error.message : `${o.error.kind}: ${o.error.message}`);
  if (o.permanentRedirect) parts.push(`moved permanently to ${o.permanentRedirect} (update feeds.json)`);
  return parts.join('; ');
}
