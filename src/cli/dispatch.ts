// The dispatcher of the `storywire` command: parses argv first, then loads only the one command module it runs, and
// maps errors to exit codes. Nothing here imports a dependency at the top level: `--help` and `--version` load only
// src/cli.ts, this file and operator-error.ts.
import fs from 'node:fs';
import { OperatorError } from '../lib/operator-error.ts';

export const USAGE = `usage: storywire <command> [options]

commands:
  serve [--config F] [--db F] [--port N] [--host H] [--no-poll]   HTTP server and poll scheduler
  poll [--config F] [--db F] [--source ID]                       one pass now over every enabled source (or one)
  worker [--config F] [--db F] [--concurrency N] [--metrics-port N]   poll due sources until SIGTERM; several share one PostgreSQL
  check [--config F]                                             validate feeds.json
  recluster [--config F] [--db F] [--since DATE]                 rebuild stories from stored entries (after a model or alias change)
  reindex [--config F] [--db F]                                  rebuild the search index from stored entries
  export-opml [--config F]                                       print the sources as OPML 2.0
  import-opml FILE [--config F] [--dry-run]                      add the feeds of a reader's OPML export to feeds.json
  sources [--config F] [--db F]                                  every source's health as a table
  backup FILE [--db F]                                           a consistent copy of the database, safe while serving
  copy-db --from DB --to DB [--config F]                         copy a whole database into an empty one (SQLite file <-> postgres:// URL)
  help, --help, -h                                               this text
  --version                                                      the installed version

defaults: --config $STORYWIRE_CONFIG or ./feeds.json, --db $STORYWIRE_DB or ./data/storywire.db
          (a file path is SQLite; a postgres://user:password@host:5432/name URL is PostgreSQL),
          --port $PORT or 3000, --host $HOST; LOG_LEVEL sets the log level (info).`;

export type Command = (args: string[]) => number | Promise<number>;


/** Each command's loader: the module is imported only when that command runs. */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.ts')).serveCommand,
  poll: async () => (await import('./poll.ts')).pollCommand,
  worker: async () => (await import('./worker.ts')).workerCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  recluster: async () => (await import('./recluster.ts')).reclusterCommand,
  reindex: async () => (await import('./reindex.ts')).reindexCommand,
  'export-opml': async () => (await import('./opml.ts')).exportOpmlCommand,
  'import-opml': async () => (await import('./opml.ts')).importOpmlCommand,
  sources: async () => (await import('./sources.ts')).sourcesCommand,
  backup: async () => (await import('./backup.ts')).backupCommand,
  'copy-db': async () => (await import('./copy-db.ts')).copyDbCommand,
};

/** package.json's version, read directly (src/cli/ and dist/cli/ both sit two levels below the package root). */
function version(): string {
  return (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs `storywire ...argv`; returns the exit code. `commands` is the table of loaders (tests pass their own). */
export async function main(argv: string[], commands: Record<string, () => Promise<Command>> = COMMANDS): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(version());
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    console.error(`storywire: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    const command = await load();
    return await command(args);
  } catch (e) {
    return report(name, e);
  }
}

/** Prints a failed command's error the way its kind deserves and returns the exit code. */
export async function report(name: string, e: unknown): Promise<number> {
  if (e instanceof OperatorError) {
    console.error(e.message);
    return 2;
  }
  // Every command module imports these two already, so this costs nothing; if they cannot load, e is something else.
  const [load, args] = await Promise.all([import('../config/load.ts').catch(() => null), import('./args.ts').catch(() => null)]);
  if (load && e instanceof load.ConfigError) {
    console.error(e.message);
    return 2;
  }
  if (args && e instanceof args.UsageError) {
    console.error(`storywire ${name}: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const message = e instanceof Error ? e.message : String(e);
  console.error(`storywire ${name}: ${message.split('\n')[0]}`);
  const level = (process.env.LOG_LEVEL ?? '').trim().toLowerCase();
  if ((level === 'debug' || level === 'trace') && e instanceof Error && e.stack) console.error(e.stack);
  return 1;
}
