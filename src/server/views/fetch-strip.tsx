// The /sources page's fetch history strip: one mark per recent poll of a source, oldest left, newest at the right
// edge, as an inline SVG (the pages run no script) with a sentence saying what it shows, for everyone (the caption)
// and for screen readers (the SVG's title and description). Colour is never the only signal: a poll that stored
// entries is a bar (its height grows with their number), one that found nothing new a low tick, a failure a cross on a
// tinted column; a run of polls without a new entry is underlined and named in the caption.
import { FETCH_HISTORY_KEPT, type FetchRecord } from '../../store/index.ts';
import { relativeTime, shortTime } from './format.ts';

/** Polls in a row without a new entry, up to the newest, from which the strip and its caption point the silence out. */
export const QUIET_POLLS = 12;

// Geometry in viewBox units. The SVG is at most 24rem wide: on a 360 px phone (a 320 px column) a slot is 6.7 px.
const SLOT = 8;
const WIDTH = FETCH_HISTORY_KEPT * SLOT;
const TOP = 2;
const PLOT = 28;
const BASE = TOP + PLOT;
const HEIGHT = BASE + 6;
const BAR = SLOT - 2;
/** A bar is at least this tall, and full height from BAR_FULL new entries on (a log scale between). */
const BAR_MIN = 6;
const BAR_FULL = 32;
const TICK = 3;
const CROSS = 3.2;

/** "1 poll", "3 polls". */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The trailing polls (up to the newest) that stored no new entry. */
function quietRun(history: readonly FetchRecord[]): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0 && history[i]!.newEntries === 0; i--) n++;
  return n;
}

/** The sentence the strip stands for: polls, their outcomes (and why they failed), new entries, and when the last new entry came. */
export function historySummary(history: readonly FetchRecord[], now: number): string {
  const failures = history.filter((f) => f.outcome === 'error');
  const failed = failures.length;
  // Each distinct failure once, the newest first: "http-error 503, timeout".
  const why = [...new Set(failures.reverse().map((f) => `${f.errorKind ?? 'error'}${f.httpStatus ? ` ${f.httpStatus}` : ''}`))].join(', ');
  const unchanged = history.filter((f) => f.outcome === 'not_modified').length;
  const fresh = history.reduce((n, f) => n + f.newEntries, 0);
  const lastNew = history.findLast((f) => f.newEntries > 0);
  const polls = history.length === 1 ? 'Last poll' : `Last ${history.length} polls`;
  const succeeded = `${history.length - failed} succeeded${unchanged ? ` (${unchanged} unchanged)` : ''}`;
  const since = history.length > 1 ? `, since ${shortTime(history[0]!.fetchedAt, now)}` : '';
  const last = lastNew ? `last new entry ${relativeTime(lastNew.fetchedAt, now)}` : 'no new entry';
  return `${polls}${since}: ${succeeded}, ${failed} failed${why ? ` (${why})` : ''}; ${count(fresh, 'new entry', 'new entries')}; ${last}.`;
}

/** Rounded to a tenth of a unit, far below a pixel, to keep the markup short. */
function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function barHeight(n: number): number {
  const share = Math.min(1, Math.log2(1 + n) / Math.log2(1 + BAR_FULL));
  return round(BAR_MIN + (PLOT - BAR_MIN) * share);
}

/**
 * The marks of each kind as one path apiece, a subpath per poll (each starts with "M"): one element per kind, not one
 * per poll, keeps a page of a hundred sources' strips small. Slot 0 is the leftmost.
 */
function markPaths(history: readonly FetchRecord[], firstSlot: number) {
  const paths = { fresh: '', none: '', failBg: '', cross: '' };
  history.forEach((f, i) => {
    const slot = firstSlot + i;
    const x = slot * SLOT + (SLOT - BAR) / 2;
    if (f.outcome === 'error') {
      const cx = slot * SLOT + SLOT / 2;
      const cy = BASE - PLOT / 2;
      const d = 2 * CROSS;
      paths.failBg += `M${x} ${TOP}h${BAR}v${PLOT}h-${BAR}z`;
      paths.cross += `M${round(cx - CROSS)} ${round(cy - CROSS)}l${d} ${d}m0 -${d}l-${d} ${d}`;
    } else if (f.newEntries > 0) {
      const h = barHeight(f.newEntries);
      paths.fresh += `M${x} ${round(BASE - h)}h${BAR}v${h}h-${BAR}z`;
    } else paths.none += `M${x} ${BASE - TICK}h${BAR}v${TICK}h-${BAR}z`;
  });
  return paths;
}

/** The strip of a source's recent polls (oldest first, as fetchHistory gives them); nothing when it has none. */
export function FetchStrip(props: { sourceId: string; history: readonly FetchRecord[]; now: number }) {
  const history = props.history.slice(-FETCH_HISTORY_KEPT);
  if (!history.length) return null;
  // Newest at the right edge, so the right end always means "now" and sources line up.
  const paths = markPaths(history, FETCH_HISTORY_KEPT - history.length);
  const quiet = quietRun(history);
  const summary = historySummary(history, props.now);
  const quietText = quiet >= QUIET_POLLS ? `No new entry in the last ${count(quiet, 'poll')}.` : null;
  const id = `history-${props.sourceId}`;
  return (
    <figure class="fetch-history">
      <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-title`}>Recent polls, oldest first</title>
        <desc id={`${id}-desc`}>{quietText ? `${summary} ${quietText}` : summary}</desc>
        <line class="fh-base" x1={0} x2={WIDTH} y1={BASE + 0.5} y2={BASE + 0.5} />
        {paths.fresh ? <path class="fh-new" d={paths.fresh} /> : null}
        {paths.none ? <path class="fh-none" d={paths.none} /> : null}
        {paths.failBg ? <path class="fh-fail-bg" d={paths.failBg} /> : null}
        {paths.cross ? <path class="fh-cross" d={paths.cross} /> : null}
        {quietText ? <line class="fh-quiet" x1={(FETCH_HISTORY_KEPT - quiet) * SLOT + 1} x2={WIDTH - 1} y1={BASE + 3.5} y2={BASE + 3.5} /> : null}
      </svg>
      {/* The same sentence, shown: the SVG's description reaches screen readers, this everyone else. */}
      <figcaption aria-hidden="true">
        {summary}
        {quietText ? (
          <>
            {' '}
            <span class="fh-quiet-text">{quietText}</span>
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}
