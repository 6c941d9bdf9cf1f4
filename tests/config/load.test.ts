import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.ts';
import { configJsonSchema } from '../../src/config/schema.ts';

const minimal = (extra: object = {}) => JSON.stringify({ sources: [{ id: 'a', url: 'https://example.com/feed.xml' }], ...extra });

function issuesOf(text: string): string[] {
  try {
    parseConfig(text, 'feeds.json');
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('config', () => {
  it('applies documented defaults', () => {
    const c = parseConfig(minimal(), 'feeds.json');
    expect(c.settings).toMatchObject({ schedule: '*/15 * * * *', intervalMs: 15 * 60_000, concurrency: 8, perHostConcurrency: 2, timeoutMs: 20_000, maxBodyBytes: 15 * 1024 * 1024, storyWindowMs: 72 * 3_600_000 });
    expect(c.settings.userAgent).toMatch(/^storywire\/\d+\.\d+\.\d+ \(\+https?:\/\/.+\)$/);
    expect(c.sources[0]).toMatchObject({ enabled: true, tags: [], intervalMs: 15 * 60_000, priority: 0 });
    expect(c.feeds).toEqual([]);
  });

  it('keeps the media proxy off unless asked, and takes true/false or "on"/"off"', () => {
    expect(parseConfig(minimal(), 'feeds.json').settings).toMatchObject({ mediaProxy: false, mediaMaxBytes: 5 * 1024 * 1024 });
    for (const [given, wanted] of [[true, true], ['on', true], [false, false], ['off', false]] as const) {
      expect(parseConfig(minimal({ settings: { mediaProxy: given } }), 'feeds.json').settings.mediaProxy).toBe(wanted);
    }
    expect(issuesOf(minimal({ settings: { mediaProxy: 'yes' } }))).toHaveLength(1);
    expect(issuesOf(minimal({ settings: { mediaProxy: 'yes' } }))[0]).toBe('settings.mediaProxy: must be true, false, "on" or "off"');
    expect(issuesOf(minimal({ settings: { mediaMaxBytes: 100 } }))[0]).toMatch(/^settings\.mediaMaxBytes: /);
  });

  it('freezes the result', () => {
    const c = parseConfig(minimal(), 'feeds.json');
    expect(Object.isFrozen(c.sources[0])).toBe(true);
  });

  it('reports every problem at once, each with its path', () => {
    const issues = issuesOf(
      JSON.stringify({
        settings: { concurency: 4, interval: '5 minutes', schedule: 'every day' },
        sources: [
          { id: 'Bad Id', url: 'ftp://example.com/x' },
          { id: 'dup', url: 'https://a.example/feed', tittle: 'x' },
          { id: 'dup', url: 'not a url' },
        ],
        feeds: [{ slug: 'f', title: 'F', include: ['/(unclosed/'], sources: ['ghost'] }],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'settings.concurency: unknown key; did you mean "concurrency"?',
        expect.stringMatching(/^settings\.interval: must be a duration/),
        expect.stringMatching(/^settings\.schedule: must be a valid cron expression/),
        expect.stringMatching(/^sources\.0\.id: must be a lowercase slug/),
        'sources.0.url: must be an http(s) URL',
        'sources.1.tittle: unknown key; did you mean "title"?',
        'sources.2.id: duplicate source id "dup" (first at sources[1])',
        'sources.2.url: must be an absolute URL',
        expect.stringMatching(/^feeds\.0\.include\.0: "\/\(unclosed\/" is not a valid regular expression/),
        'feeds.0.sources.0: unknown source id "ghost"',
      ]),
    );
  });

  it('rejects bad intervals and out-of-range numbers', () => {
    expect(issuesOf(JSON.stringify({ sources: [{ id: 'a', url: 'https://x.example/', interval: '10s' }] }))).toEqual(['sources.0.interval: must be between 1m and 7d']);
    expect(issuesOf(minimal({ settings: { concurrency: 0 } }))[0]).toMatch(/^settings\.concurrency: /);
  });

  it('names missing required fields and broken JSON', () => {
    expect(issuesOf('{}')).toEqual(['sources: is required (array)']);
    expect(issuesOf('{"sources": [}')[0]).toMatch(/^: not valid JSON/);
  });

  it('reports an unreadable file as a config error', () => {
    expect(() => loadConfig('/nonexistent/feeds.json')).toThrow('config: not found: /nonexistent/feeds.json; create one (see README) or pass --config');
  });

  it('ships a valid default feeds.json with at least 15 tagged sources', () => {
    const c = loadConfig('feeds.json');
    expect(c.sources.length).toBeGreaterThanOrEqual(15);
    for (const s of c.sources) expect(s.tags.length).toBeGreaterThan(0);
  });

  it('keeps feeds.schema.json in step with the zod schema (npm run schema:emit)', () => {
    expect(JSON.parse(fs.readFileSync('feeds.schema.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});
