// The only reader of process.env: resolves the runtime options every command shares.
import { z } from 'zod';
import { OperatorError } from '../lib/operator-error.ts';

/** Options that come from the environment (and are overridden by CLI flags). */
export interface RuntimeEnv {
  configPath: string;
  dbPath: string;
  port: number;
  host: string | undefined;
  logLevel: string;
  /** LOG_FORMAT: readable lines, JSON lines, or auto (readable on a terminal). */
  logFormat: 'pretty' | 'json' | 'auto';
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}

const envSchema = z.object({
  STORYWIRE_CONFIG: z.string().min(1).default('./feeds.json'),
  STORYWIRE_DB: z.string().min(1).default('./data/storywire.db'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json', 'auto']).default('auto'),
  STORYWIRE_METRICS_TOKEN: z.string().regex(/^[A-Za-z0-9._~+/-]{16,}=*$/, 'at least 16 characters among A-Z a-z 0-9 . _ ~ + / -').optional(),
});

/** Reads the environment; throws a readable error naming the bad variable. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new OperatorError(`config: bad environment variable ${lines.join('; ')}`);
  }
  const e = r.data;
  return { configPath: e.STORYWIRE_CONFIG, dbPath: e.STORYWIRE_DB, port: e.PORT, host: e.HOST, logLevel: e.LOG_LEVEL, logFormat: e.LOG_FORMAT, metricsToken: e.STORYWIRE_METRICS_TOKEN };
}
