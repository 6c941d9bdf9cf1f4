// Every feed of the shared corpora goes through parse + normalize without an uncaught exception,
// and the real outlets' feeds give what Python feedparser 6.0.10 gives (entry count, titles, links).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NormalizedFeed } from '../../src/model.ts';
import { normalizeFeed } from '../../src/normalize/index.ts';
import { parseFeed } from '../../src/parse/index.ts';

const corpora = path.resolve('../shared/corpora');
const exists = existsSync(path.join(corpora, 'feedparser', 'MANIFEST.json'));
const NOW = Date.UTC(2030, 0, 1);
const FEED_URL = 'http://example.com/feeds/feed.xml';
const NAMED_ERROR = /^(empty body|not a feed: .+|invalid XML: .+|invalid JSON: .+|unreadable feed: .+)$/;

interface ManifestEntry {
  path: string;
  expect: string | null;
  headers: Record<string, string> | null;
}

type Outcome = { kind: 'feed'; feed: NormalizedFeed } | { kind: 'error'; message: string } | { kind: 'threw'; error: unknown };

async function run(file: string, contentType: string | null): Promise<Outcome> {
  try {
    const parsed = await parseFeed(readFileSync(file), { contentType, url: FEED_URL });
    if (!parsed.ok) return { kind: 'error', message: parsed.error.message };
    return { kind: 'feed', feed: normalizeFeed(parsed.feed, { feedUrl: FEED_URL, now: NOW }) };
  } catch (error) {
    return { kind: 'threw', error };
  }
}

function contentTypeOf(headers: Record<string, string> | null): string | null {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
  return entry?.[1] ?? null;
}

// The oracles are Python literals: '\u20ac', '\xa3', escaped quotes.
function pythonString(literal: string): string {
  return literal.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, esc: string) => {
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[esc] ?? esc;
  });
}

const collapse = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

describe.skipIf(!exists)('feedparser corpus', () => {
  const manifest: ManifestEntry[] = exists
    ? JSON.parse(readFileSync(path.join(corpora, 'feedparser', 'MANIFEST.json'), 'utf8'))
    : [];
  const outcomes = new Map<string, Outcome>();

  it('parses and normalizes every file, yielding a feed or a named error, never throwing', async () => {
    for (const entry of manifest) {
      outcomes.set(entry.path, await run(path.join(corpora, 'feedparser', entry.path), contentTypeOf(entry.headers)));
    }
    const all = [...outcomes.values()];
    const threw = [...outcomes].filter(([, outcome]) => outcome.kind === 'threw').map(([file]) => file);
    const unnamed = all.flatMap((o) => (o.kind === 'error' && !NAMED_ERROR.test(o.message) ? [o.message] : []));
    const feeds = all.filter((o) => o.kind === 'feed').length;
    console.info(`feedparser corpus: ${outcomes.size} files, ${feeds} feeds, ${outcomes.size - feeds} named errors`);
    expect(outcomes.size).toBe(2242);
    expect(outcomes.size).toBe(manifest.length);
    expect(threw).toEqual([]);
    expect(unnamed).toEqual([]);
    // A floor, so that a regression which turns feeds into errors is noticed.
    expect(feeds).toBeGreaterThanOrEqual(2190);
  });

  it('decodes the encoding/ titles feedparser states, for every charset TextDecoder supports', () => {
    const oracle = /^not bozo and feed\['title'\] == '((?:[^'\\]|\\.)*)'$/;
    let checked = 0;
    for (const entry of manifest.filter((e) => e.path.startsWith('encoding/'))) {
      const match = oracle.exec(entry.expect ?? '');
      if (!match || !supportedCharset(entry)) continue;
      const outcome = outcomes.get(entry.path);
      expect({ file: entry.path, title: outcome?.kind === 'feed' ? outcome.feed.info.title : outcome?.kind })
        .toEqual({ file: entry.path, title: pythonString(match[1]) });
      checked++;
    }
    console.info(`encoding oracles checked: ${checked}`);
    expect(checked).toBeGreaterThanOrEqual(29);
  });

  it("agrees with feedparser's entry titles and links where it states them", () => {
    const oracle = /^(?:not bozo and )?entries\[0\]\['(title|link)'\] == u?'((?:[^'\\]|\\.)*)'$/;
    const mismatches: string[] = [];
    let checked = 0;
    for (const entry of manifest) {
      const match = oracle.exec(entry.expect ?? '');
      const outcome = outcomes.get(entry.path);
      if (!match || outcome?.kind !== 'feed' || outcome.feed.entries.length === 0 || !comparable(entry.path, match[2])) continue;
      const first = outcome.feed.entries[0];
      const actual = match[1] === 'title' ? collapse(first.title) : first.link;
      const expected = match[1] === 'title' ? collapse(pythonString(match[2])) : pythonString(match[2]);
      checked++;
      if (actual !== expected) mismatches.push(`${entry.path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
    }
    console.info(`entry title/link oracles checked: ${checked}`);
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(37);
  });
});

// feedparser keeps (sanitised) markup, escaped where needed, in titles where we keep plain text, and resolves the
// base/http_* links against its own test server's address; those oracles do not apply to us.
function comparable(file: string, expected: string): boolean {
  return !/<|&lt;|&gt;|&amp;/.test(expected) && !file.startsWith('wellformed/base/http_');
}

function supportedCharset(entry: ManifestEntry): boolean {
  const file = readFileSync(path.join(corpora, 'feedparser', entry.path), 'latin1');
  const label = /encoding=["']([^"']+)["']/.exec(file)?.[1] ?? contentTypeOf(entry.headers)?.split('charset=')[1];
  if (!label) return true;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!exists)('real feeds against feedparser 6.0.10', () => {
  const sets = ['2015-03-16_greatfire-feeds', '2021-09-20_gesab001-headlines'];
  for (const set of sets) {
    const summary: Record<string, FeedparserSummary> = exists
      ? JSON.parse(readFileSync(path.join(corpora, 'realfeeds', set, 'feedparser-6.0.10-summary.json'), 'utf8'))
      : {};
    for (const [file, expected] of Object.entries(summary)) {
      it(file, async () => {
        const outcome = await run(path.join(corpora, 'realfeeds', file), null);
        if (file.includes('/not-a-feed/')) {
          expect(outcome).toEqual({ kind: 'error', message: 'not a feed: got an HTML page' });
          return;
        }
        expect(outcome.kind).toBe('feed');
        const entries = outcome.kind === 'feed' ? outcome.feed.entries : [];
        expect(entries.length).toBe(expected.n_entries);
        expect(entries.map((e) => collapse(e.title))).toEqual(expected.entries.map((e) => collapse(e.title)));
        expect(entries.map((e) => sameUrl(e.link))).toEqual(expected.entries.map((e) => sameUrl(e.link)));
      });
    }
  }
});

interface FeedparserSummary {
  n_entries: number;
  entries: { title: string | null; link: string | null }[];
}

// feedparser keeps IRIs as published; WHATWG URL serialisation makes both sides comparable.
function sameUrl(link: string | null | undefined): string | null {
  return link ? new URL(link).href : null;
}
