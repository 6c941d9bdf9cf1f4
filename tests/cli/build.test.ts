// The compiled artifact: bin/storywire.js running dist/ (rebuilt first when any source is newer than it), the runtime
// file lookups from dist (migrations, aliases.json, package.json), and the build script's production-install rules.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss } from '../helpers/feeds.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';

const ROOT = path.resolve('.');
const PKG = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
let dir: string;
let server: FixtureServer;

/** Newest modification time of the files under `p` (or of `p`). */
function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((n) => newest(path.join(p, n))));
}

/** Runs `node ...args` without blocking this process (the fixture server answers from it). */
function node(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const built = fs.existsSync('dist/cli.js') ? fs.statSync('dist/cli.js').mtimeMs : -1;
  if (built < Math.max(newest('src'), newest('tsconfig.json'), newest('tsconfig.build.json'))) {
    const r = await node(['bin/build.js']);
    if (r.code !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storywire-build-'));
  server = await startFixtureServer({ '/feed.xml': { body: rss('Local', [{ title: 'Harbour reopens', link: 'https://local.example/a', guid: 'a1' }]) } });
}, 240_000);
afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('bin/storywire.js (compiled)', () => {
  it('prints the version of package.json', async () => {
    const r = await node(['bin/storywire.js', '--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${PKG.version}\n` });
  });

  it('loads no command module and no dependency for --help', async () => {
    const trace = path.join(dir, 'help-imports.txt');
    const r = await node(['--import', './tests/cli/fixtures/trace-imports.mjs', 'bin/storywire.js', '--help'], { TRACE_IMPORTS_FILE: trace });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: storywire <command>');
    const files = fs.readFileSync(trace, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
    const rel = files.map((u) => path.relative(ROOT, new URL(u).pathname)).sort();
    expect(rel).toEqual(['bin/storywire.js', 'dist/cli.js', 'dist/cli/dispatch.js', 'dist/lib/operator-error.js']);
  });

  it('runs check from dist, with the built-in alias table beside it', async () => {
    const config = path.join(dir, 'feeds.json');
    fs.writeFileSync(config, JSON.stringify({ sources: [{ id: 'local', url: server.url('/feed.xml') }], feeds: [{ slug: 'k', title: 'K', include: ['Kyiv'] }] }));
    const r = await node(['bin/storywire.js', 'check', '--config', config]);
    expect(r).toMatchObject({ code: 0, stdout: `${config}: OK (1 sources, 1 curated feeds + all)\n` });
  });

  it('polls from dist: migrates the database from drizzle/ and sends its version in the User-Agent', async () => {
    const config = path.join(dir, 'feeds.json');
    const r = await node(['bin/storywire.js', 'poll', '--config', config, '--db', path.join(dir, 'poll.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^local\s+ok\s+200\s+\+1/m);
    expect(server.requestsTo('/feed.xml').at(-1)?.headers['user-agent']).toContain(`storywire/${PKG.version} `);
  });

  it('says to run npm run build, in one line with exit 2, when dist/ is missing', async () => {
    const copy = path.join(dir, 'nodist');
    fs.mkdirSync(path.join(copy, 'bin'), { recursive: true });
    fs.copyFileSync('bin/storywire.js', path.join(copy, 'bin/storywire.js'));
    const r = await node([path.join(copy, 'bin/storywire.js'), '--help']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('npm run build');
  });
});

describe('bin/build.js without the compiler (npm ci --omit=dev)', () => {
  // A copy of the script outside the project cannot resolve typescript, as in a production install.
  function copyBuildScript(name: string, withDist: boolean): string {
    const copy = path.join(dir, name);
    fs.mkdirSync(path.join(copy, 'bin'), { recursive: true });
    fs.copyFileSync('bin/build.js', path.join(copy, 'bin/build.js'));
    fs.writeFileSync(path.join(copy, 'package.json'), '{"type":"module"}');
    if (withDist) {
      fs.mkdirSync(path.join(copy, 'dist'));
      fs.writeFileSync(path.join(copy, 'dist/cli.js'), '// built earlier\n');
    }
    return copy;
  }

  it('keeps an existing dist/ and succeeds', async () => {
    const copy = copyBuildScript('prod-built', true);
    const r = await node([path.join(copy, 'bin/build.js')], {}, copy);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('using the existing dist/');
    expect(fs.readFileSync(path.join(copy, 'dist/cli.js'), 'utf8')).toBe('// built earlier\n');
  });

  it('fails with the fix when there is no dist/ either', async () => {
    const copy = copyBuildScript('prod-unbuilt', false);
    const r = await node([path.join(copy, 'bin/build.js')], {}, copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dist/ is missing and typescript is not installed');
  });
});
