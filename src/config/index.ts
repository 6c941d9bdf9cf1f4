// config/: loads and validates feeds.json and the environment once.
export { loadConfig, parseConfig, formatIssue, ConfigError } from './load.ts';
export type { Config, Source, FeedRules, Settings } from './load.ts';
export { readEnv } from './env.ts';
export type { RuntimeEnv } from './env.ts';
export { PACKAGE } from './package-info.ts';
export { parseTermSyntax, type TermSyntax } from './terms.ts';
