// Runs the storywire command as a user would, in a child process: the current src/cli.ts through tsx, not dist/
// (which may be older than the sources). tests/cli/build.test.ts checks the compiled bin/storywire.js itself.
import { spawn } from 'node:child_process';
import path from 'node:path';

const CLI = [path.resolve('bin/run-ts.js'), path.resolve('src/cli.ts')];

/** Runs `storywire ...args`; resolves with the exit code and the output streams. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `storywire ...args` and leaves it running; `stop` sends a signal and resolves with the exit code. */
export function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return {
    output: () => output,
    /** True once the process has ended (by itself or by a signal). */
    exited: () => child.exitCode !== null || child.signalCode !== null,
    /** Sends a signal and returns at once (e.g. SIGHUP to reload). */
    signal: (signal: NodeJS.Signals) => void child.kill(signal),
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<number | null>((resolve) => {
        // Ended already: by itself (its code), or by a signal (null, as 'close' reports it).
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.on('close', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
