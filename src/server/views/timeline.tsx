// The story page's coverage timeline: when each outlet reported the story, as an inline SVG (the pages run no script)
// with a text equivalent for screen readers. Everything is JSX, so outlet names from feeds are escaped by the renderer.
import type { EntryRow } from '../../store/index.ts';
import { dayAndMonth, duration, hourMinute, shortTime } from './format.ts';
import type { ViewContext } from './stories.tsx';

/** Outlets drawn at most; the rest are named in the coverage list under the timeline. */
export const TIMELINE_MAX_OUTLETS = 30;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A story reported once, or within minutes, still gets an axis an hour long, so its ticks read as times. */
const MIN_SPAN_MS = HOUR;
// Geometry in viewBox units. The SVG is at most 34rem wide and the text 13 units, so on a 360 px phone (a 320 px
// column, 0.8 px a unit) the text is 10.4 px, and on a wide screen about the size of the body text.
const WIDTH = 400;
const FONT = 13;
const LABEL_CHARS = 16;
const PLOT_LEFT = 150;
const PLOT_RIGHT = WIDTH - 22;
const TOP = 6;
const ROW = 24;
const TICK_LINE = 16;
/** Tick steps, smallest first: the first that gives at most MAX_TICKS ticks is used. */
const STEPS = [5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY, 364 * DAY];
const MAX_TICKS = 5;

interface Mark {
  name: string;
  at: number;
  row: number;
  first: boolean;
}

interface Tick {
  at: number;
  /** "14:00", or "20 May" for steps of a day or more. */
  label: string;
  /** The day under a clock label, where the day changes (and at the first tick). */
  day: string | null;
}

/** The ticks of the axis from `start` to `end`, on UTC boundaries of the step. */
export function timelineTicks(start: number, end: number): Tick[] {
  // Past the longest step (a report dated decades off), whole multiples of it keep the axis to MAX_TICKS ticks.
  const longest = STEPS[STEPS.length - 1];
  const step = STEPS.find((s) => Math.floor(end / s) - Math.ceil(start / s) + 1 <= MAX_TICKS) ?? longest * Math.ceil((end - start) / longest / (MAX_TICKS - 1));
  const ticks: Tick[] = [];
  let lastDay = '';
  for (let at = Math.ceil(start / step) * step; at <= end; at += step) {
    if (step >= DAY) {
      ticks.push({ at, label: dayAndMonth(at), day: null });
      continue;
    }
    const day = dayAndMonth(at);
    ticks.push({ at, label: hourMinute(at), day: day === lastDay ? null : day });
    lastDay = day;
  }
  return ticks;
}

/** "1 outlet", "10 more outlets". */
function outletCount(n: number, more = ''): string {
  return `${n} ${more}${n === 1 ? 'outlet' : 'outlets'}`;
}

/** A name cut to fit the label column (the full name is in the mark's tooltip and the text equivalent). */
function fitLabel(name: string): string {
  const chars = Array.from(name);
  return chars.length <= LABEL_CHARS ? name : `${chars.slice(0, LABEL_CHARS - 1).join('').trimEnd()}…`;
}

/** The timeline of a story's reports: one row per outlet (in order of first report), a mark per report. */
export function CoverageTimeline(props: { entries: EntryRow[]; ctx: ViewContext }) {
  if (!props.entries.length) return null;
  const { ctx } = props;
  const sorted = [...props.entries].sort((a, b) => a.publishedAt - b.publishedAt);
  const outlets = [...new Set(sorted.map((e) => e.sourceId))];
  const shown = outlets.slice(0, TIMELINE_MAX_OUTLETS);
  const hidden = outlets.length - shown.length;
  const rowOf = new Map(shown.map((id, i) => [id, i]));
  const marks: Mark[] = sorted
    .filter((e) => rowOf.has(e.sourceId))
    .map((e, i) => ({ name: ctx.sourceName(e.sourceId), at: e.publishedAt, row: rowOf.get(e.sourceId)!, first: i === 0 }));

  const start = marks[0].at;
  const last = marks[marks.length - 1];
  const end = Math.max(last.at, start + MIN_SPAN_MS);
  // Rounded to a tenth of a unit, far below a pixel, to keep the markup short.
  const x = (t: number) => Math.round((PLOT_LEFT + ((t - start) / (end - start)) * (PLOT_RIGHT - PLOT_LEFT)) * 10) / 10;
  const rowY = (row: number) => TOP + row * ROW + ROW / 2;
  const axisY = TOP + shown.length * ROW + 4;
  const ticks = timelineTicks(start, end);
  const twoLineTicks = ticks.some((t) => t.day !== null);
  const moreY = axisY + TICK_LINE * (twoLineTicks ? 3 : 2) + 6;
  const height = (hidden ? moreY : axisY + TICK_LINE * (twoLineTicks ? 2 : 1) + 8) + 6;

  const first = marks[0];
  // The summary covers every report, drawn or not.
  const latest = sorted[sorted.length - 1];
  const latestName = ctx.sourceName(latest.sourceId);
  const summary =
    sorted.length === 1
      ? `${first.name} reported this story at ${shortTime(first.at, ctx.now)}.`
      : `${outletCount(outlets.length)} reported this story over ${duration(latest.publishedAt - first.at)}: ` +
        `first ${first.name} at ${shortTime(first.at, ctx.now)}, last ${latestName} at ${shortTime(latest.publishedAt, ctx.now)}.`;

  return (
    <figure class="timeline">
      <svg role="img" aria-labelledby="timeline-title timeline-desc" viewBox={`0 0 ${WIDTH} ${height}`} fontSize={FONT} xmlns="http://www.w3.org/2000/svg">
        <title id="timeline-title">When each outlet reported this story</title>
        <desc id="timeline-desc">{summary}</desc>
        {/* Cutting names by characters cannot bound their width (glyphs differ), so the label column also clips. */}
        <clipPath id="tl-labels">
          <rect x={0} y={0} width={PLOT_LEFT - 8} height={axisY} />
        </clipPath>
        {shown.map((id, row) => (
          <g class="tl-row">
            <line class="tl-rule" x1={PLOT_LEFT} x2={PLOT_RIGHT} y1={rowY(row)} y2={rowY(row)} />
            <text class="tl-outlet" x={0} y={rowY(row) + FONT * 0.35} clipPath="url(#tl-labels)">
              {fitLabel(ctx.sourceName(id))}
            </text>
          </g>
        ))}
        <line class="tl-axis" x1={PLOT_LEFT} x2={PLOT_RIGHT} y1={axisY} y2={axisY} />
        {ticks.map((t) => (
          <g class="tl-tick">
            <line class="tl-axis" x1={x(t.at)} x2={x(t.at)} y1={axisY} y2={axisY + 5} />
            <text x={x(t.at)} y={axisY + TICK_LINE + 2} textAnchor={x(t.at) > WIDTH - 25 ? 'end' : 'middle'}>
              {t.label}
              {t.day ? (
                <tspan x={x(t.at)} dy={TICK_LINE}>
                  {t.day}
                </tspan>
              ) : null}
            </text>
          </g>
        ))}
        {marks.map((m) => (
          <circle class={m.first ? 'tl-mark tl-first' : 'tl-mark'} cx={x(m.at)} cy={rowY(m.row)} r={m.first ? 6.5 : 5}>
            <title>{`${m.name}, ${shortTime(m.at, ctx.now)}`}</title>
          </circle>
        ))}
        <text class="tl-first-label" x={x(first.at) + 11} y={rowY(first.row) - 7}>
          first
        </text>
        {hidden ? (
          <text class="tl-more" x={0} y={moreY}>
            {`and ${outletCount(hidden, 'more ')} (listed below)`}
          </text>
        ) : null}
      </svg>
      <figcaption class="visually-hidden">
        <ol>
          {marks.map((m) => (
            <li>{m.first ? `${m.name}, first, ${shortTime(m.at, ctx.now)}` : `${m.name}, ${shortTime(m.at, ctx.now)} (+${duration(m.at - first.at)})`}</li>
          ))}
          {hidden ? <li>{`and ${outletCount(hidden, 'more ')}, listed under Coverage`}</li> : null}
        </ol>
      </figcaption>
    </figure>
  );
}
