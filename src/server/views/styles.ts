// The one stylesheet of the web pages, served from /assets/site.css (the CSP allows styles from 'self' only).
import { createHash } from 'node:crypto';

/** The stylesheet: system fonts, one readable column, light and dark schemes, visible focus. */
export const SITE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #faf9f6; --fg: #1e2226; --muted: #5a616b; --line: #e4e1da; --soft: #f1efe9;
  --accent: #1b5fae; --visited: #6a4597; --badge: #e8eef6; --badge-fg: #24466e;
  --ok: #1d7a3a; --bad: #b3261e; --warn: #8a5a00; --focus: #d9930d;
  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "DejaVu Serif", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --fg: #e7e5e0; --muted: #a4aab2; --line: #2c3036; --soft: #1f2226;
    --accent: #8db8ff; --visited: #c5a8f3; --badge: #233246; --badge-fg: #cfe1f7;
    --ok: #6fcf86; --bad: #ff8f85; --warn: #f0c05a; --focus: #f0b43c;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1.0625rem/1.6 var(--sans); }
.wrap { max-width: 42rem; margin: 0 auto; padding: 0 1.25rem; }
a { color: var(--accent); text-decoration-thickness: 1px; text-underline-offset: .18em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: 1rem; z-index: 1; background: var(--bg); padding: .5rem .9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

.site { border-bottom: 1px solid var(--line); padding: 1.4rem 0 .9rem; }
.brand { font: 700 1.35rem/1.2 var(--serif); color: var(--fg); text-decoration: none; letter-spacing: -.01em; }
.brand:hover { color: var(--accent); }
.tagline { color: var(--muted); font-size: .9rem; margin: .15rem 0 0; }
.feeds ul { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; margin: .9rem 0 0; padding: 0; }
.feeds a { display: inline-block; padding: .2rem .75rem; border: 1px solid var(--line); border-radius: 999px;
  color: var(--fg); font-size: .9rem; text-decoration: none; }
.feeds a:hover { border-color: var(--muted); }
.feeds a[aria-current="page"] { background: var(--fg); border-color: var(--fg); color: var(--bg); }

main.wrap { padding-top: 1.75rem; padding-bottom: 2.5rem; }
h1 { font: 600 1.75rem/1.25 var(--serif); margin: 0 0 .35rem; letter-spacing: -.01em; }
.lede { color: var(--muted); margin: 0 0 1.1rem; }
.order { display: flex; gap: .35rem; margin: 0 0 1rem; font-size: .9rem; }
.order a { padding: .1rem .75rem; border: 1px solid var(--line); border-radius: 999px; color: var(--fg); text-decoration: none; }
.order a:hover { border-color: var(--muted); }
.order a[aria-current="page"] { background: var(--fg); border-color: var(--fg); color: var(--bg); }
.toolbar { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; justify-content: space-between;
  margin: 0 0 1.2rem; padding-bottom: 1.2rem; border-bottom: 1px solid var(--line); }
.search { display: flex; gap: .4rem; flex: 1 1 16rem; max-width: 24rem; }
.search input { flex: 1; min-width: 0; font: inherit; font-size: 1rem; color: var(--fg); background: var(--bg);
  border: 1px solid var(--muted); border-radius: .5rem; padding: .4rem .7rem; }
.search button, .button { font: inherit; font-size: .95rem; color: var(--bg); background: var(--fg); border: 1px solid var(--fg);
  border-radius: .5rem; padding: .4rem .9rem; cursor: pointer; text-decoration: none; }
.subscribe { margin: 0; font-size: .9rem; color: var(--muted); }
.subscribe a { margin-left: .35rem; }
.notice { background: var(--soft); border-radius: .5rem; padding: .7rem 1rem; margin: 0 0 1.2rem; }

.stories { list-style: none; margin: 0; padding: 0; }
.stories > li + li { border-top: 1px solid var(--line); }
.story { padding: 1.05rem 0 1.15rem; }
.story h2 { font: 600 1.3rem/1.32 var(--serif); margin: 0 0 .3rem; letter-spacing: -.005em; }
.story h2 a { color: var(--fg); text-decoration: none; }
.story h2 a:hover { text-decoration: underline; text-decoration-thickness: 1px; }
.story h2 a:visited { color: var(--muted); }
.meta { display: flex; flex-wrap: wrap; align-items: baseline; gap: .1rem .85rem; margin: 0; color: var(--muted); font-size: .875rem; }
.meta a { color: var(--muted); }
.outlet-name { color: var(--fg); font-weight: 600; }
.badge { display: inline-block; align-self: center; background: var(--badge); color: var(--badge-fg); border-radius: 999px;
  padding: 0 .55rem; font-size: .8rem; font-weight: 600; line-height: 1.6; }
.summary { margin: .45rem 0 0; color: var(--fg); opacity: .9; }
/* A story's thumbnail floats right of its text; the box is fixed, so nothing moves while it loads. */
.story.with-thumb::after { content: ""; display: block; clear: both; }
.thumb { float: right; width: 7.5rem; height: 5rem; object-fit: cover; margin: .2rem 0 .4rem 1rem; border-radius: .35rem;
  background: var(--soft); }
.lead-image { display: block; width: 100%; max-width: 34rem; height: auto; margin: 1rem 0 .2rem; border-radius: .4rem;
  background: var(--soft); }
.lead-image.unsized { aspect-ratio: 3 / 2; object-fit: cover; }
details { margin-top: .55rem; font-size: .95rem; }
summary { cursor: pointer; color: var(--accent); width: fit-content; font-size: .9rem; }
summary:hover { text-decoration: underline; }
.outlets { list-style: none; margin: .5rem 0 0; padding: 0 0 0 .9rem; border-left: 2px solid var(--line); }
.outlets li { margin: 0 0 .55rem; line-height: 1.45; }
.outlets .source { display: block; font-size: .8rem; color: var(--muted); letter-spacing: .02em; }
.outlets a:visited { color: var(--visited); }
.empty { color: var(--muted); padding: 1.5rem 0; }
.pager { display: flex; justify-content: space-between; gap: 1rem; border-top: 1px solid var(--line); padding-top: 1.2rem; margin-top: .5rem; }

.story-page h1 a, .coverage h3 a { color: var(--fg); text-decoration-color: var(--line); text-decoration-thickness: 2px; }
.story-page h1 a:hover, .coverage h3 a:hover { text-decoration-color: currentColor; }
.coverage h3 a:visited { color: var(--visited); }
.story-page .summary { font-size: 1.05rem; margin: .9rem 0 1.4rem; }
.story-page h2 { font: 600 1.1rem/1.3 var(--serif); margin: 1.6rem 0 .6rem; }
.coverage { list-style: none; margin: 0; padding: 0; }
.coverage > li { padding: .8rem 0; border-top: 1px solid var(--line); }
.coverage h3 { font: 600 1.05rem/1.35 var(--serif); margin: .1rem 0 .2rem; }
.coverage p { margin: .3rem 0 0; }
/* The timeline's text is sized in viewBox units (see timeline.tsx): the width bounds keep it between 10 px and body size. */
.timeline { margin: 1rem 0 .4rem; }
.timeline svg { display: block; width: 100%; max-width: 34rem; height: auto; font-family: var(--sans); }
.timeline text { fill: var(--muted); }
.timeline .tl-outlet, .timeline .tl-first-label { fill: var(--fg); }
.timeline .tl-first-label { font-weight: 600; }
.timeline .tl-rule { stroke: var(--line); stroke-width: 1; }
.timeline .tl-axis { stroke: var(--muted); stroke-width: 1; }
.timeline .tl-mark { fill: var(--accent); stroke: var(--bg); stroke-width: 1.5; }
.timeline .tl-first { fill: var(--focus); stroke: var(--fg); }

.health { list-style: none; margin: 0; padding: 0; }
.health > li { padding: 1rem 0; border-top: 1px solid var(--line); }
.health h2 { font: 600 1.1rem/1.3 var(--serif); margin: 0; display: flex; gap: .6rem; align-items: baseline; flex-wrap: wrap; }
.health .url { font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; margin: .1rem 0 .5rem; }
.health dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; font-size: .92rem; }
.health dt { color: var(--muted); }
.health dd { margin: 0; overflow-wrap: anywhere; }
.status { font: 600 .75rem/1.7 var(--sans); text-transform: uppercase; letter-spacing: .05em; border-radius: 999px; padding: 0 .55rem; border: 1px solid currentColor; }
.status-ok { color: var(--ok); }
.status-error { color: var(--bad); }
.status-new, .status-disabled { color: var(--warn); }
.error-text { color: var(--bad); }
/* The fetch history strip (fetch-strip.tsx): bars, ticks and crosses differ in shape, not only in colour. */
.fetch-history { margin: .2rem 0 .7rem; }
.fetch-history svg { display: block; width: 100%; max-width: 24rem; height: auto; }
.fetch-history figcaption { font-size: .85rem; color: var(--muted); margin-top: .2rem; }
.fetch-history .fh-base { stroke: var(--line); stroke-width: 1; }
.fetch-history .fh-new { fill: var(--ok); }
.fetch-history .fh-none { fill: var(--muted); }
.fetch-history .fh-fail-bg { fill: var(--bad); opacity: .16; }
.fetch-history .fh-cross { stroke: var(--bad); stroke-width: 1.8; stroke-linecap: round; fill: none; }
.fetch-history .fh-quiet { stroke: var(--warn); stroke-width: 2; }
.fetch-history .fh-quiet-text { color: var(--warn); font-weight: 600; }
.counts { color: var(--muted); margin: 0 0 1rem; }

.site-footer { border-top: 1px solid var(--line); padding: 1.2rem 0 2rem; color: var(--muted); font-size: .875rem; }
.site-footer a { color: var(--muted); margin-right: 1rem; }

@media (max-width: 30rem) {
  body { font-size: 1rem; }
  h1 { font-size: 1.5rem; }
  .story h2 { font-size: 1.18rem; }
  .thumb { width: 5.5rem; height: 3.7rem; margin-left: .75rem; }
  .search { max-width: none; }
}
`;

/** A short content hash, used as the stylesheet's version so it can be cached for a long time. */
export const SITE_CSS_VERSION = createHash('sha256').update(SITE_CSS).digest('hex').slice(0, 12);

/** A small mark for the browser tab (a stack of three lines: stories from several outlets). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1e2226"/><path d="M8 11h16M8 16h12M8 21h16" stroke="#faf9f6" stroke-width="2.5" stroke-linecap="round"/></svg>`;
