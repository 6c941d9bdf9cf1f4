// The friendly page for 4xx (and the rare 5xx) answers of the web pages.
import { Layout, type FeedLink } from './layout.tsx';

const HEADINGS: Record<number, string> = {
  400: 'That link did not work',
  404: 'Nothing here',
  500: 'Something went wrong on our side',
};

/** An error page: what happened in plain words, and the way back. */
export function ErrorPage(p: { feeds: FeedLink[]; status: number; message: string }) {
  const heading = HEADINGS[p.status] ?? 'That did not work';
  return (
    <Layout title={`${heading} · storywire`} feeds={p.feeds} currentFeed={null} alternate={null}>
      <h1>{heading}</h1>
      <p class="lede">{p.message}</p>
      <p>
        <a href="/">Back to the latest stories</a>
      </p>
    </Layout>
  );
}
