import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, humanLine } from '../../src/lib/logger.ts';

/** A stream collecting what is written; `isTTY` makes it look like a terminal. */
function sink(isTTY = false) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => chunks.join('') };
}

const failing = { source_id: 'bbc-world', status: 'error', http_status: 404, new_entries: 0, updated_entries: 0, ms: 51, error_kind: 'http-error', error: 'fetch: HTTP 404 Not Found', next_fetch_at: '2026-05-20T14:16:00.000Z' };

describe('createLogger', () => {
  it('writes JSON lines when the destination is not a terminal', () => {
    const out = sink(false);
    createLogger('info', { destination: out.stream }).warn(failing, 'source.polled');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 40, msg: 'source.polled', source_id: 'bbc-world', service: 'storywire' });
  });

  it('writes one readable line per event on a terminal', () => {
    const out = sink(true);
    createLogger('info', { destination: out.stream, colorize: false }).warn({ ...failing, next_fetch_at: new Date(Date.now() + 20 * 60_000).toISOString() }, 'source.polled');
    const text = out.text();
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: source bbc-world failed \[http\]: HTTP 404 Not Found; retry in (19|20) min\n$/);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('obeys LOG_FORMAT over the terminal check, both ways', () => {
    const tty = sink(true);
    createLogger('info', { destination: tty.stream, format: 'json' }).info({ sources: 3 }, 'server.listening');
    expect(JSON.parse(tty.text()).msg).toBe('server.listening');
    const pipe = sink(false);
    createLogger('info', { destination: pipe.stream, format: 'pretty', colorize: false }).info({ a: 1, b: 'two words' }, 'something.else');
    expect(pipe.text()).toMatch(/INFO: something\.else a=1 b="two words"\n$/);
  });

  it('shows an error message on a terminal, and its stack only at debug level', () => {
    const info = sink(true);
    createLogger('info', { destination: info.stream, colorize: false }).error({ task: 'poll', err: new Error('database is locked') }, 'background.failed');
    expect(info.text()).toMatch(/ERROR: poll failed; storywire keeps running \(counted in storywire_background_errors_total\): database is locked\n$/);
    const debug = sink(true);
    createLogger('debug', { destination: debug.stream, colorize: false }).error({ task: 'poll', err: new Error('database is locked') }, 'background.failed');
    expect(debug.text()).toMatch(/Error: database is locked\n\s+at /);
  });
});

describe('humanLine', () => {
  it('summarises a pass with the failing sources by name', () => {
    expect(humanLine({ msg: 'poll.pass', sources: 21, new_entries: 40, updated_entries: 2, failed: 3, failed_sources: ['a', 'b', 'c'], ms: 4200 })).toBe('poll pass: 21 sources in 4.2 s, 40 new entries, 2 updated, 3 failed (a, b, c)');
  });

  it('says when a failing source is tried again', () => {
    const at = '2026-05-20T14:00:00.000Z';
    expect(humanLine({ ...failing, time: at, next_fetch_at: '2026-05-20T14:30:00.000Z', msg: 'source.polled', error_kind: 'network', error: 'fetch: connection refused (127.0.0.1:9) [ECONNREFUSED]' })).toBe(
      'source bbc-world failed [network]: connection refused (127.0.0.1:9) [ECONNREFUSED]; retry in 30 min',
    );
  });
});
