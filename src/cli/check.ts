// `storywire check`: validates feeds.json and prints every problem with its JSON path.
import { ConfigError, formatIssue } from '../config/index.ts';
import { loadServiceConfig } from './service-config.ts';
import { parseFlags, runtimeEnv } from './args.ts';

/** Runs the check; returns the exit code. */
export function checkCommand(args: string[]): number {
  const { values } = parseFlags(args, {});
  const env = runtimeEnv(values);
  try {
    const config = loadServiceConfig(env.configPath);
    console.log(`${env.configPath}: OK (${config.sources.length} sources, ${config.feeds.length} curated feeds + all)`);
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`${env.configPath}: ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}`);
    console.error(e.issues.map(formatIssue).join('\n'));
    return 2;
  }
}
