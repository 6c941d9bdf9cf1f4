// The full check of a config: feeds.json's schema, plus what only the running service can check (alias file, feed terms).
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import type { ConfigIssue } from '../config/schema.ts';
import { findRuleProblems } from '../publish/rules.ts';
import { loadAliases, type AliasTable } from '../stories/index.ts';

/** Loads feeds.json and checks its alias file and feed terms; throws ConfigError listing every problem. */
export function loadServiceConfig(file: string): Config {
  const config = loadConfig(file);
  const issues: ConfigIssue[] = [];
  let aliases: AliasTable | undefined;
  try {
    aliases = loadAliases(config.settings.aliasesFile ?? undefined);
  } catch (e) {
    issues.push({ path: ['settings', 'aliasesFile'], message: `cannot use alias file: ${(e as Error).message}` });
  }
  config.feeds.forEach((feed, i) => {
    for (const p of findRuleProblems(feed, aliases)) issues.push({ path: ['feeds', i, p.list, p.index], message: p.message });
  });
  if (issues.length) throw new ConfigError(file, issues);
  return config;
}
