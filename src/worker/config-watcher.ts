// Config reload without a restart: a changed feeds.json (file watch or SIGHUP) is validated, then applied or refused.
// Nothing here may end the process: an invalid, deleted or unreadable file is logged and the running config stays;
// any other error (in `load` or `apply`) is reported as a background error and retried on the next change or SIGHUP.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { backgroundErrorReporter, guarded, type BackgroundErrorReporter } from '../lib/background.ts';
import type { Logger } from '../lib/logger.ts';

/** A running watcher. */
export interface ConfigWatcher {
  /** Re-reads the file now; returns true when a new config was applied. Never throws. */
  reload(reason: string): boolean;
  stop(): void;
}

/** Watches `file`; a valid change calls `apply`, an invalid one is logged with every error and the old config kept. */
export function watchConfig(
  file: string,
  apply: (next: Config) => void,
  log: Logger,
  debounceMs = 300,
  load: (file: string) => Config = loadConfig,
  report: BackgroundErrorReporter = backgroundErrorReporter(log),
): ConfigWatcher {
  const abs = path.resolve(file);
  let lastText = safeRead(file);
  let missing = false;
  let timer: NodeJS.Timeout | null = null;
  const reload = (reason: string): boolean => {
    const text = safeRead(file);
    if (text === null) {
      // Deleted, or replaced by a rename not finished yet: say so once, keep serving with what we have.
      if (!missing) log.warn({ reason, config: abs }, 'config.missing');
      missing = true;
      return false;
    }
    missing = false;
    if (text === lastText) return false;
    try {
      const next = load(file);
      apply(next);
      lastText = text;
      log.info({ reason, sources: next.sources.length, feeds: next.feeds.length }, 'config.reloaded');
      return true;
    } catch (e) {
      if (e instanceof ConfigError) {
        lastText = text;
        log.error({ reason, config: abs, errors: e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)) }, 'config.reload_refused');
      } else {
        // Not the file's fault: lastText stays, so the next change or SIGHUP tries again.
        report('config-reload', e);
      }
      return false;
    }
  };
  const safeReload = (reason: string): boolean => {
    try {
      return reload(reason);
    } catch (e) {
      report('config-reload', e);
      return false;
    }
  };
  // Watch the directory: editors often replace the file (rename), which ends a watch on the file itself.
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(
      path.dirname(abs),
      guarded('config-watch', report, (_event: string, name: string | null) => {
        if (name !== path.basename(file)) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => safeReload('file-changed'), debounceMs);
      }),
    );
    watcher.on('error', (err) => log.warn({ err: err.message }, 'config.watch_failed'));
  } catch (err) {
    // Some file systems cannot be watched; SIGHUP still reloads.
    log.warn({ err: (err as Error).message }, 'config.watch_unavailable');
  }
  const onHup = () => void safeReload('SIGHUP');
  process.on('SIGHUP', onHup);
  return {
    reload: safeReload,
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
