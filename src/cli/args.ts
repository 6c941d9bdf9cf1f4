// Command-line parsing shared by the commands: flags override the environment, which overrides defaults.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readEnv, type RuntimeEnv } from '../config/index.ts';

/** A usage error: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

const COMMON = {
  config: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `args` with the common flags plus `extra`; unknown flags are usage errors. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], extra: T) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...extra }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The environment with --config/--db applied. */
export function runtimeEnv(values: { config?: unknown; db?: unknown }): RuntimeEnv {
  const env = readEnv();
  return {
    ...env,
    configPath: typeof values.config === 'string' ? values.config : env.configPath,
    dbPath: typeof values.db === 'string' ? values.db : env.dbPath,
  };
}
