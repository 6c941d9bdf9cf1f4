// Config reload without a restart: a changed feeds.json (file watch or SIGHUP) is validated, then applied or refused.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import type { Logger } from '../lib/logger.ts';

/** A running watcher. */
export interface ConfigWatcher {
  /** Re-reads the file now; resolves true when a new config was applied. */
  reload(reason: string): boolean;
  stop(): void;
}

/** Watches `file`; a valid change calls `apply`, an invalid one is logged with every error and the old config kept. */
export function watchConfig(file: string, apply: (next: Config) => void, log: Logger, debounceMs = 300, load: (file: string) => Config = loadConfig): ConfigWatcher {
  let lastText = safeRead(file);
  let timer: NodeJS.Timeout | null = null;
  const reload = (reason: string): boolean => {
    const text = safeRead(file);
    if (text === null || text === lastText) return false;
    lastText = text;
    try {
      const next = load(file);
      apply(next);
      log.info({ reason, sources: next.sources.length, feeds: next.feeds.length }, 'config.reloaded');
      return true;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      log.error({ reason, errors: e.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'config.reload_refused');
      return false;
    }
  };
  // Watch the directory: editors often replace the file (rename), which ends a watch on the file itself.
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(path.dirname(path.resolve(file)), (_event, name) => {
      if (name !== path.basename(file)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => reload('file-changed'), debounceMs);
    });
    watcher.on('error', (err) => log.warn({ err: err.message }, 'config.watch_failed'));
  } catch (err) {
    // Some file systems cannot be watched; SIGHUP still reloads.
    log.warn({ err: (err as Error).message }, 'config.watch_unavailable');
  }
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  return {
    reload,
    stop() {
      watcher?.close();
      if (timer) clearTimeout(timer);
      process.off('SIGHUP', onHup);
    },
  };
}

function safeRead(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
