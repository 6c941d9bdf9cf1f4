// The dispatcher in-process: which command loader runs, --help/--version, and how each kind of error is reported.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { COMMANDS, main, USAGE, type Command } from '../../src/cli/dispatch.ts';
import { ConfigError } from '../../src/config/load.ts';
import { OperatorError } from '../../src/lib/operator-error.ts';

let out: MockInstance;
let err: MockInstance;
const printed = (spy: MockInstance) => spy.mock.calls.map((c) => c.join(' ')).join('\n');

beforeEach(() => {
  out = vi.spyOn(console, 'log').mockImplementation(() => {});
  err = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A table of two commands whose loaders record that they ran. */
function table(run: Command) {
  const loaded: string[] = [];
  const commands = {
    one: async () => (loaded.push('one'), run),
    two: async () => (loaded.push('two'), run),
  };
  return { commands, loaded };
}

describe('dispatch', () => {
  it('loads only the command it runs and passes it the remaining arguments', async () => {
    const seen: string[][] = [];
    const { commands, loaded } = table((args) => (seen.push(args), 7));
    expect(await main(['two', '--db', 'x.db'], commands)).toBe(7);
    expect(loaded).toEqual(['two']);
    expect(seen).toEqual([['--db', 'x.db']]);
  });

  it('prints the usage for help, --help and -h (exit 0), and with no command (exit 2), loading nothing', async () => {
    const { commands, loaded } = table(() => 0);
    for (const a of ['help', '--help', '-h']) expect(await main([a], commands)).toBe(0);
    expect(await main([], commands)).toBe(2);
    expect(await main(['one', '--help'], commands)).toBe(0);
    expect(loaded).toEqual([]);
    expect(out).toHaveBeenCalledTimes(5);
    expect(printed(out)).toContain('reindex [--config F] [--db F]   ');
  });

  it('prints the version of package.json for --version', async () => {
    const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    expect(await main(['--version'])).toBe(0);
    expect(out.mock.calls).toEqual([[version]]);
  });

  it('treats an unknown command, including an inherited property name, as bad usage', async () => {
    const { commands, loaded } = table(() => 0);
    expect(await main(['frobnicate'], commands)).toBe(2);
    expect(await main(['toString'], commands)).toBe(2);
    expect(printed(err)).toContain('storywire: unknown command "frobnicate"');
    expect(loaded).toEqual([]);
  });

  it('lists every command of its table in the usage text, and only those', () => {
    const listed = [...USAGE.matchAll(/^ {2}([a-z][a-z-]+) /gm)].map((m) => m[1]).filter((n) => n !== 'help');
    expect(listed.sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('loads a real command module on demand', async () => {
    expect(typeof (await COMMANDS.check())).toBe('function');
    expect(typeof (await COMMANDS['export-opml']())).toBe('function');
  });
});

describe('errors', () => {
  const failing = (e: unknown) => ({ x: async () => () => Promise.reject(e) });

  it('prints an OperatorError message alone and exits 2', async () => {
    expect(await main(['x'], failing(new OperatorError('serve: port 3000 is in use; pick another with --port')))).toBe(2);
    expect(err.mock.calls).toEqual([['serve: port 3000 is in use; pick another with --port']]);
  });

  it("prints a ConfigError's list of problems alone and exits 2", async () => {
    const e = new ConfigError('feeds.json', [{ path: ['sources', 0, 'url'], message: 'must be an http(s) URL' }]);
    expect(await main(['x'], failing(e))).toBe(2);
    expect(err.mock.calls).toEqual([['config: feeds.json is invalid:\n  $.sources[0].url: must be an http(s) URL']]);
  });

  it('prints a UsageError with the command name and the usage, exit 2', async () => {
    expect(await main(['x'], failing(new UsageError('unknown option --bogus')))).toBe(2);
    expect(printed(err)).toMatch(/^storywire x: unknown option --bogus\n\nusage: storywire/);
  });

  it('prints any other error as one line naming the command, exit 1, without the stack', async () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    expect(await main(['x'], failing(new TypeError('boom\nsecond line')))).toBe(1);
    expect(err.mock.calls).toEqual([['storywire x: boom']]);
    expect(await main(['x'], failing('a string'))).toBe(1);
    expect(err.mock.calls[1]).toEqual(['storywire x: a string']);
  });

  it('adds the stack when LOG_LEVEL is debug or trace', async () => {
    for (const level of ['debug', 'TRACE']) {
      err.mockClear();
      vi.stubEnv('LOG_LEVEL', level);
      const e = new Error('boom');
      expect(await main(['x'], failing(e))).toBe(1);
      expect(err.mock.calls).toEqual([['storywire x: boom'], [e.stack]]);
    }
  });

  it('reports a command module that fails to load like any other error', async () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    const commands = { x: () => Promise.reject(new Error("Cannot find module 'x.js'")) };
    expect(await main(['x'], commands)).toBe(1);
    expect(err.mock.calls).toEqual([["storywire x: Cannot find module 'x.js'"]]);
  });

  it('reports a synchronous throw from a command', async () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    const commands = {
      x: async () => () => {
        throw new RangeError('bad');
      },
    };
    expect(await main(['x'], commands)).toBe(1);
    expect(err.mock.calls).toEqual([['storywire x: bad']]);
  });
});
