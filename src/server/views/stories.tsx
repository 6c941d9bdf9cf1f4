// A list of stories: headline, outlet, time, source count and the expandable coverage of each.
import type { EntryRow, StoryRow } from '../../store/index.ts';
import { publishedUrl } from '../../publish/links.ts';
import { rfc3339 } from '../../publish/timestamps.ts';
import { absoluteTime, excerpt, relativeTime, shortTime } from './format.ts';

/** A story with its entries (oldest first), as the pages receive it. */
export interface StoryView {
  story: StoryRow;
  entries: EntryRow[];
  /** The story's picture as the page loads it (the outlet's URL, or the media proxy's), when it has one. */
  image?: PageImage | null;
}

/** A picture on a page: where the browser loads it from, and its size when the feed stated it. */
export interface PageImage {
  src: string;
  width: number | null;
  height: number | null;
}

// Pictures of unknown size are drawn in a 3:2 box (object-fit: cover), so the layout never jumps as they load.
const FALLBACK_WIDTH = 480;
const FALLBACK_HEIGHT = 320;

/**
 * A story's picture: lazily loaded, sized before it arrives, never sending the page's address to the outlet, and
 * described by the headline (the picture illustrates it; outlets give no alt text of their own in feeds).
 */
export function StoryImage(props: { image: PageImage; alt: string; class: string; eager?: boolean }) {
  const { image } = props;
  const sized = image.width !== null && image.height !== null;
  return (
    <img
      class={sized ? props.class : `${props.class} unsized`}
      src={image.src}
      width={sized ? image.width! : FALLBACK_WIDTH}
      height={sized ? image.height! : FALLBACK_HEIGHT}
      alt={props.alt}
      loading={props.eager ? 'eager' : 'lazy'}
      decoding="async"
      referrerpolicy="no-referrer"
    />
  );
}

/** What rendering needs beyond the data: the clock and the outlets' display names. */
export interface ViewContext {
  now: number;
  sourceName(sourceId: string): string;
}

/** A time as "3 hours ago" with the absolute UTC time beside it (full in `title`, exact in `datetime`). */
export function When(props: { ms: number; now: number; short?: boolean }) {
  const iso = rfc3339(props.ms);
  const abs = absoluteTime(props.ms);
  return (
    <time datetime={iso} title={abs}>
      {relativeTime(props.ms, props.now)}
      {props.short ? null : <span class="abs"> · {shortTime(props.ms, props.now)}</span>}
    </time>
  );
}

/** A link when the URL is a usable http(s) one (in the form feeds and the API publish), else plain text. */
export function MaybeLink(props: { href: string | null; children: string }) {
  const href = publishedUrl(props.href);
  return href ? <a href={href}>{props.children}</a> : <>{props.children}</>;
}

/** The distinct outlets of a story, in order of first coverage. */
export function outletNames(entries: EntryRow[], ctx: ViewContext): string[] {
  return [...new Set(entries.map((e) => e.sourceId))].map((id) => ctx.sourceName(id));
}

/** "3 sources" / "1 source". */
export function sourcesLabel(n: number): string {
  return `${n} ${n === 1 ? 'source' : 'sources'}`;
}

/** The list of stories, or a message when there are none. */
export function StoryList(props: { stories: StoryView[]; ctx: ViewContext; empty: string }) {
  if (!props.stories.length) return <p class="empty">{props.empty}</p>;
  return (
    <ol class="stories">
      {props.stories.map((s) => (
        <li>
          <StoryItem item={s} ctx={props.ctx} />
        </li>
      ))}
    </ol>
  );
}

function StoryItem(props: { item: StoryView; ctx: ViewContext }) {
  const { story, entries } = props.item;
  const representative = entries.find((e) => e.id === story.representativeEntryId) ?? entries[0];
  const headingId = `story-${story.id}`;
  const image = props.item.image;
  return (
    <article class={image ? 'story with-thumb' : 'story'} aria-labelledby={headingId}>
      <h2 id={headingId}>
        <MaybeLink href={story.url}>{story.title || '(untitled)'}</MaybeLink>
      </h2>
      {image ? <StoryImage image={image} alt={story.title} class="thumb" /> : null}
      <p class="meta">
        <span class="badge">{sourcesLabel(story.sourcesCount)}</span>
        {representative ? <span class="outlet-name">{props.ctx.sourceName(representative.sourceId)}</span> : null}
        <span>
          <When ms={story.publishedAt} now={props.ctx.now} />
        </span>
        <a href={`/stories/${story.id}`}>
          All coverage<span class="visually-hidden"> of “{story.title}”</span>
        </a>
      </p>
      {story.summary ? <p class="summary">{excerpt(story.summary, 260)}</p> : null}
      {entries.length > 1 ? <Outlets entries={entries} ctx={props.ctx} /> : null}
    </article>
  );
}

function Outlets(props: { entries: EntryRow[]; ctx: ViewContext }) {
  const names = outletNames(props.entries, props.ctx);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : joinNames(names);
  return (
    <details>
      <summary>Covered by {shown}</summary>
      <ul class="outlets">
        {props.entries.map((e) => (
          <li>
            <span class="source">{props.ctx.sourceName(e.sourceId)}</span>
            <MaybeLink href={e.link}>{e.title || '(untitled)'}</MaybeLink>
          </li>
        ))}
      </ul>
    </details>
  );
}

function joinNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
