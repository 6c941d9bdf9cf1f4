// The `storywire` command: dispatches to the subcommands, maps errors to exit codes.
import { ConfigError } from './config/index.ts';
import { UsageError } from './cli/args.ts';
import { OperatorError } from './lib/operator-error.ts';
import { backupCommand } from './cli/backup.ts';
import { checkCommand } from './cli/check.ts';
import { exportOpmlCommand, importOpmlCommand } from './cli/opml.ts';
import { pollCommand } from './cli/poll.ts';
import { reclusterCommand } from './cli/recluster.ts';
import { serveCommand } from './cli/serve.ts';
import { sourcesCommand } from './cli/sources.ts';

const USAGE = `usage: storywire <command> [options]

commands:
  serve [--config F] [--db F] [--port N] [--host H] [--no-poll]   HTTP server and poll scheduler
  poll [--config F] [--db F] [--source ID]                       one pass now over every enabled source (or one)
  check [--config F]                                             validate feeds.json
  recluster [--config F] [--db F] [--since DATE]                 rebuild stories from stored entries (after a model or alias change)
  export-opml [--config F]                                       print the sources as OPML 2.0
  import-opml FILE [--config F] [--dry-run]                      add the feeds of a reader's OPML export to feeds.json
  sources [--config F] [--db F]                                  every source's health as a table
  backup FILE [--db F]                                           a consistent copy of the database, safe while serving

defaults: --config $STORYWIRE_CONFIG or ./feeds.json, --db $STORYWIRE_DB or ./data/storywire.db,
          --port $PORT or 3000, --host $HOST; LOG_LEVEL sets the log level (info).`;

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  serve: serveCommand,
  poll: pollCommand,
  check: checkCommand,
  recluster: reclusterCommand,
  'export-opml': exportOpmlCommand,
  'import-opml': importOpmlCommand,
  sources: sourcesCommand,
  backup: backupCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`storywire: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    return await command(args);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof OperatorError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof UsageError) {
      console.error(`storywire ${name}: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`storywire ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
