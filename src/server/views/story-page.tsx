// One story (/stories/:id): its headline, summary and every outlet's report of it.
import { excerpt } from './format.ts';
import { Layout, type FeedLink } from './layout.tsx';
import { MaybeLink, outletNames, sourcesLabel, StoryImage, When, type StoryView, type ViewContext } from './stories.tsx';
import { CoverageTimeline } from './timeline.tsx';

/** The story page. */
export function StoryPage(p: { feeds: FeedLink[]; origin: string; item: StoryView; ctx: ViewContext }) {
  const { story, entries } = p.item;
  const names = outletNames(entries, p.ctx);
  return (
    <Layout title={`${story.title} · storywire`} feeds={p.feeds} currentFeed={null} alternate={{ feed: { slug: 'all', title: 'storywire: all stories' }, origin: p.origin }}>
      <article class="story-page" aria-labelledby="story-title">
        <h1 id="story-title">
          <MaybeLink href={story.url}>{story.title || '(untitled)'}</MaybeLink>
        </h1>
        <p class="meta">
          <span class="badge">{sourcesLabel(story.sourcesCount)}</span>
          <span>
            First seen <When ms={story.publishedAt} now={p.ctx.now} />
          </span>
          {story.updatedAt > story.publishedAt ? (
            <span>
              updated <When ms={story.updatedAt} now={p.ctx.now} short />
            </span>
          ) : null}
        </p>
        {p.item.image ? <StoryImage image={p.item.image} alt={story.title} class="lead-image" eager /> : null}
        <CoverageTimeline entries={entries} ctx={p.ctx} />
        {story.summary ? <p class="summary">{excerpt(story.summary, 1200)}</p> : null}
        <section aria-labelledby="coverage-title">
          <h2 id="coverage-title">Coverage by {names.length === 1 ? names[0] : `${names.length} outlets`}</h2>
          <ol class="coverage">
            {entries.map((e) => (
              <li>
                <article aria-label={`${p.ctx.sourceName(e.sourceId)}: ${e.title}`}>
                  <p class="meta">
                    <span class="outlet-name">{p.ctx.sourceName(e.sourceId)}</span>
                    <span>
                      <When ms={e.publishedAt} now={p.ctx.now} />
                    </span>
                  </p>
                  <h3>
                    <MaybeLink href={e.link}>{e.title || '(untitled)'}</MaybeLink>
                  </h3>
                  {e.summary && e.summary !== story.summary ? <p>{excerpt(e.summary, 400)}</p> : null}
                </article>
              </li>
            ))}
          </ol>
        </section>
      </article>
    </Layout>
  );
}
