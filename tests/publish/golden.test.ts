// Golden files: exact renderer output for fixed stories. UPDATE_GOLDEN=1 rewrites them (validate by hand first).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/publish/render.ts';
import { feedMeta, GOLDEN_STORIES } from './fixtures.ts';

const DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const CASES = [
  ['all.rss', renderRss],
  ['all.atom', renderAtom],
  ['all.json', renderJsonFeed],
] as const;

describe('golden feeds', () => {
  it.each(CASES)('%s matches the golden file', (file, render) => {
    const out = render(feedMeta(), GOLDEN_STORIES);
    const path = `${DIR}${file}`;
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(path, out);
    expect(out).toBe(fs.readFileSync(path, 'utf8'));
  });
});
