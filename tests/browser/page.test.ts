import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.ts';
import { createPublisher } from '../../src/runtime.ts';
import { createApp } from '../../src/server/app.ts';
import { listen, type Listening } from '../../src/server/listen.ts';
import { normalizeForMatch } from '../../src/stories/index.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.ts';
import { solidPng } from '../helpers/png.ts';
import { aliases, config, fixtureStore, NOW, PICTURES } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';

/** An image's laid-out size and its natural width, once it has loaded and decoded (rejects if it cannot). */
function loadedBox(img: Locator): Promise<{ width: number; height: number; natural: number }> {
  return img.evaluate(async (el) => {
    const image = el as HTMLImageElement;
    await image.decode();
    const rect = image.getBoundingClientRect();
    return { width: rect.width, height: rect.height, natural: image.naturalWidth };
  });
}
const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

describe.skipIf(!fs.existsSync(CHROMIUM))('the web page in a real browser', () => {
  let server: Listening;
  let browser: Browser;
  let page: Page;
  let base: string;
  let images: FixtureServer;
  const problems: string[] = [];

  beforeAll(async () => {
    // The outlets' pictures, served from another origin (as outlets' CDNs are), so the page's CSP must allow it.
    images = await startFixtureServer({});
    for (const [i, reports] of Object.entries(PICTURES)) {
      for (const picture of Object.values(reports)) {
        images.route(picture.path, { headers: { 'Content-Type': 'image/png' }, body: solidPng(picture.width ?? 300, picture.height ?? 200, [40 * Number(i), 110, 160]) });
      }
    }
    const store = await fixtureStore(images.origin);
    const app = createApp({
      store,
      config: () => config,
      log: silentLogger(),
      searchTerms: (text) => normalizeForMatch(text, aliases),
      publisher: createPublisher(store, () => config, () => aliases, () => NOW),
      now: () => NOW,
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    // A CSP violation or a failed asset shows up as a console error or a failed request.
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await images?.close();
  });

  it('loads and lists the stories, styled, without any blocked resource', async () => {
    const res = await page.goto(base + '/');
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('storywire: latest stories');
    const headlines = await page.locator('article.story h2').allInnerTexts();
    expect(headlines).toHaveLength(8);
    expect(headlines[0]).toBe('EU leaders agree on new defence fund after overnight talks');
    expect(headlines).toContain('Heatwave warning issued for southern regions');
    // The stylesheet applied (the CSP allowed it): the column is narrower than the window.
    const width = await page.locator('main').evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeLessThan(700);
    expect(problems).toEqual([]);
  });

  it('narrows the list when a search is typed and submitted', async () => {
    await page.goto(base + '/');
    await page.getByLabel('Search stories').fill('coral reef');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\?q=coral/);
    const headlines = await page.locator('article.story h2').allInnerTexts();
    expect(headlines).toEqual(['Researchers map deep-sea coral reef off the Azores']);
    await expect(page.getByLabel('Search stories').inputValue()).resolves.toBe('coral reef');
  });

  it('switches to the top stories by a link, and back, the order shown marked', async () => {
    await page.goto(base + '/');
    const latest = await page.locator('article.story h2').allInnerTexts();
    await page.getByRole('navigation', { name: 'Order of the stories' }).getByRole('link', { name: 'Top' }).click();
    await page.waitForURL(/\?sort=top$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Top stories');
    await expect(page.locator('.order a[aria-current="page"]').innerText()).resolves.toBe('Top');
    const top = await page.locator('article.story h2').allInnerTexts();
    expect([...top].sort()).toEqual([...latest].sort());
    expect(top).not.toEqual(latest);
    await page.getByRole('link', { name: 'Latest' }).click();
    await page.waitForURL((url) => url.search === '');
    await expect(page.locator('article.story h2').allInnerTexts()).resolves.toEqual(latest);
    await page.screenshot({ path: path.join(ARTIFACTS, 'home-latest-switch.png'), clip: { x: 0, y: 0, width: 1000, height: 400 } });
    expect(problems).toEqual([]);
  });

  it("expands a story's outlet list when it is clicked", async () => {
    await page.goto(base + '/');
    const story = page.locator('article.story').filter({ hasText: 'EU leaders agree on new defence fund' });
    const other = story.getByRole('link', { name: 'After all-night talks, Europe agrees how to pay for defence' });
    await expect(other.isVisible()).resolves.toBe(false);
    await story.locator('summary').click();
    await expect(other.isVisible()).resolves.toBe(true);
    await expect(other.getAttribute('href')).resolves.toBe('https://courier.example/news/s0-3');
    await expect(story.locator('.outlets li').count()).resolves.toBe(4);
  });

  it("draws the story page's coverage timeline at phone width, its labels at least 10 px", async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 780 } });
    phone.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await phone.goto(base + '/');
    await phone.locator('article.story').filter({ hasText: 'EU leaders agree on new defence fund' }).getByRole('link', { name: /^All coverage/ }).click();
    await phone.waitForURL(/\/stories\/\d+$/);
    const svg = phone.getByRole('img', { name: /When each outlet reported this story/ });
    const box = await svg.evaluate((el) => {
      const rect = el.getBoundingClientRect();
      const scale = rect.width / (el as SVGSVGElement).viewBox.baseVal.width;
      const label = el.querySelector('.tl-outlet')!;
      return { width: rect.width, height: rect.height, labelPx: parseFloat(getComputedStyle(label).fontSize) * scale, rows: el.querySelectorAll('.tl-outlet').length };
    });
    expect(box.width).toBeGreaterThan(0);
    expect(box.height).toBeGreaterThan(0);
    expect(box.width).toBeLessThanOrEqual(360);
    expect(box.labelPx).toBeGreaterThanOrEqual(10);
    expect(box.rows).toBe(4);
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await phone.screenshot({ path: path.join(ARTIFACTS, 'story-phone.png'), fullPage: true });
    await phone.close();
    expect(problems).toEqual([]);
  });

  it('draws each source\'s fetch history strip at phone width, with non-zero size and nothing wider than the screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 3 });
    phone.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await phone.goto(base + '/sources');
    const strips = phone.getByRole('img', { name: /^Recent polls, oldest first/ });
    await expect(strips.count()).resolves.toBe(5);
    const courier = phone.locator('article').filter({ hasText: 'Courier' }).getByRole('img');
    const box = await courier.evaluate((el) => {
      const rect = el.getBoundingClientRect();
      // Each kind of mark is one path, a subpath per poll.
      const polls = (kind: string) => (el.querySelector(`.fh-${kind}`)?.getAttribute('d') ?? '').split('M').length - 1;
      // The crosses of 9 consecutive failures, side by side.
      const crosses = el.querySelector('.fh-cross')!.getBoundingClientRect();
      const slot = (rect.width / (el as SVGSVGElement).viewBox.baseVal.width) * 8;
      return { width: rect.width, height: rect.height, marks: polls('new') + polls('none') + polls('fail-bg'), fails: polls('fail-bg'), crosses: crosses.width, slot };
    });
    expect(box.width).toBeGreaterThan(250);
    expect(box.width).toBeLessThanOrEqual(360);
    expect(box.height).toBeGreaterThan(15);
    expect(box.marks).toBe(48);
    expect(box.fails).toBe(9);
    // A poll's slot is big enough to see (px), and the crosses span their nine slots.
    expect(box.slot).toBeGreaterThanOrEqual(5);
    expect(box.crosses).toBeGreaterThan(8 * box.slot);
    expect(box.crosses).toBeLessThan(9 * box.slot);
    // The accessible description says what the strip shows.
    await expect(courier.evaluate((el) => el.querySelector('desc')!.textContent)).resolves.toMatch(/^Last 48 polls, since .*: 39 succeeded \(22 unchanged\), 9 failed \(timeout\); \d+ new entries; last new entry 15 hours ago\. No new entry in the last 31 polls\.$/);
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await phone.screenshot({ path: path.join(ARTIFACTS, 'sources-360.png'), fullPage: true });
    await courier.screenshot({ path: path.join(ARTIFACTS, 'sources-strip-failing.png') });
    await phone.close();
    expect(problems).toEqual([]);
  });

  it("shows stories' pictures, loaded, in boxes sized before they arrive, without sending the page's address", async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 780 } });
    phone.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    phone.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
    await phone.goto(base + '/');
    const thumbs = phone.locator('article.story img.thumb');
    await expect(thumbs.count()).resolves.toBe(2);
    await expect(thumbs.first().getAttribute('alt')).resolves.toBe('EU leaders agree on new defence fund after overnight talks');
    // Lazy pictures load once near the viewport: scroll each into view, then wait for it to decode.
    for (const thumb of await thumbs.all()) {
      await thumb.scrollIntoViewIfNeeded();
      const box = await loadedBox(thumb);
      expect(box.width).toBeGreaterThan(0);
      expect(box.height).toBeGreaterThan(0);
      expect(box.natural).toBeGreaterThan(0);
    }
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    // no-referrer: the outlet's server learns nothing of the page the reader was on.
    for (const request of images.requests) expect(request.headers.referer).toBeUndefined();

    await phone.locator('article.story').filter({ hasText: 'EU leaders agree on new defence fund' }).getByRole('link', { name: /^All coverage/ }).click();
    await phone.waitForURL(/\/stories\/\d+$/);
    const box = await loadedBox(phone.locator('img.lead-image'));
    expect(box.natural).toBe(640);
    expect(box.width).toBeGreaterThan(0);
    expect(box.width).toBeLessThanOrEqual(360);
    // Drawn at the picture's own shape (640 × 360), as the width and height attributes said before it loaded.
    expect(box.height / box.width).toBeCloseTo(360 / 640, 2);
    await expect(phone.getByRole('img', { name: /When each outlet reported this story/ }).evaluate((el) => el.getBoundingClientRect().height)).resolves.toBeGreaterThan(0);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await phone.screenshot({ path: path.join(ARTIFACTS, 'story-phone-picture.png'), fullPage: true });
    await phone.close();
    expect(problems).toEqual([]);
  });

  it('saves screenshots of the page as test artefacts', async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(base + '/');
    await page.locator('article.story summary').first().click();
    const file = path.join(ARTIFACTS, 'home.png');
    await page.screenshot({ path: file, fullPage: true });
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(base + '/');
    // Readable on a phone: nothing wider than the screen.
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'home-phone.png') });
    await phone.goto(base + '/sources');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'sources-phone.png'), fullPage: true });
    await phone.close();
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });
});
