// /sources: each source's health, as an operator reads it.
import type { FetchRecord } from '../../store/index.ts';
import { FetchStrip } from './fetch-strip.tsx';
import { Layout, type FeedLink } from './layout.tsx';
import { When } from './stories.tsx';

/** One source's configuration and polling state. */
export interface SourceHealth {
  id: string;
  title: string;
  url: string;
  status: 'ok' | 'error' | 'new' | 'disabled';
  lastFetchedAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorKind: string | null;
  lastHttpStatus: number | null;
  consecutiveFailures: number;
  nextFetchAt: number | null;
  entriesCount: number;
  /** The recent polls, oldest first. */
  history: FetchRecord[];
}

const STATUS_LABEL = { ok: 'OK', error: 'Failing', new: 'Not polled yet', disabled: 'Disabled' } as const;

/** The source health page. */
export function SourcesPage(p: { feeds: FeedLink[]; origin: string; sources: SourceHealth[]; now: number }) {
  const count = (status: SourceHealth['status']) => p.sources.filter((s) => s.status === status).length;
  return (
    <Layout title="Sources · storywire" feeds={p.feeds} currentFeed={null} alternate={{ feed: { slug: 'all', title: 'storywire: all stories' }, origin: p.origin }}>
      <h1>Sources</h1>
      <p class="counts">
        {p.sources.length} {p.sources.length === 1 ? 'source' : 'sources'}: {count('ok')} OK, {count('error')} failing, {count('new')} not polled yet
        {count('disabled') ? `, ${count('disabled')} disabled` : ''}.
      </p>
      <ul class="health">
        {p.sources.map((s) => (
          <li>
            <SourceItem source={s} now={p.now} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function SourceItem(props: { source: SourceHealth; now: number }) {
  const s = props.source;
  const time = (ms: number | null, none: string) => (ms === null ? none : <When ms={ms} now={props.now} />);
  return (
    <article aria-labelledby={`source-${s.id}`}>
      <h2 id={`source-${s.id}`}>
        {s.title} <span class={`status status-${s.status}`}>{STATUS_LABEL[s.status]}</span>
      </h2>
      <p class="url">{s.url}</p>
      <FetchStrip sourceId={s.id} history={s.history} now={props.now} />
      <dl>
        <dt>Last success</dt>
        <dd>{time(s.lastSuccessAt, 'never')}</dd>
        {s.lastError ? (
          <>
            <dt>Last error</dt>
            <dd class="error-text">
              {s.lastError}
              {s.lastErrorKind ? ` (${s.lastErrorKind}${s.lastHttpStatus ? `, HTTP ${s.lastHttpStatus}` : ''})` : ''}
            </dd>
          </>
        ) : null}
        <dt>Failures in a row</dt>
        <dd>{s.consecutiveFailures}</dd>
        <dt>Next poll</dt>
        <dd>{s.status === 'disabled' ? 'not polled' : s.nextFetchAt === null || s.nextFetchAt <= props.now ? 'at the next pass' : <When ms={s.nextFetchAt} now={props.now} />}</dd>
        <dt>Entries stored</dt>
        <dd>{s.entriesCount.toLocaleString('en-GB')}</dd>
      </dl>
    </article>
  );
}
