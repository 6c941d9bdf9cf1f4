// Starts bench-server.ts in a child process, so load generation and serving do not share an event loop.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/** A running benchmark server. */
export interface BenchServer {
  base: string;
  /** The same application without its answer cache: every request is computed. */
  uncachedBase: string;
  info: { port: number; uncachedPort: number; feedBytes: number; renderMs: number; fillMs: number; fresh: boolean };
  stop(): Promise<void>;
}

/** Spawns the server over `db` (filled with `entries` when new) and waits for its first line. */
export async function startBenchServer(db: string, entries: number): Promise<BenchServer> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'bench/bench-server.ts', db, String(entries)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
  const info = JSON.parse(line) as BenchServer['info'];
  return {
    base: `http://127.0.0.1:${info.port}`,
    uncachedBase: `http://127.0.0.1:${info.uncachedPort}`,
    info,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}
