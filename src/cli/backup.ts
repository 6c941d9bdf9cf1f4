// `storywire backup FILE`: a consistent copy of the database, safe while `serve` runs.
import { OperatorError } from '../lib/operator-error.ts';
import { openStorage } from '../store/index.ts';
import { parseFlags, runtimeEnv, UsageError } from './args.ts';

/** Writes the backup; exit 0 when done. */
export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {});
  const target = positionals[0];
  if (!target) throw new UsageError('backup needs the file to write, e.g. storywire backup backups/storywire-2026-05-20.db');
  // Read-only: a backup copies the database as it is, without migrating it or creating a missing one.
  const store = await openStorage(runtimeEnv(values).dbPath, { readonly: true, anySchema: true });
  try {
    // An OperatorError (PostgreSQL: use pg_dump) is one line of its own, not a usage mistake.
    const r = await store.backup(target).catch((e: Error) => {
      throw e instanceof OperatorError ? e : new UsageError(e.message);
    });
    console.log(`backed up ${r.pages} pages (${(r.bytes / 1048576).toFixed(1)} MiB) to ${target}`);
    return 0;
  } finally {
    await store.close();
  }
}
