// A small, realistic database for the browser test: several outlets, stories covered by one to four of them.
import { parseConfig, type Config } from '../../src/config/index.ts';
import { openSqliteStorage, type SqliteStorage as Store } from '../../src/store/sqlite/storage.ts';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';
import { entryInput } from '../helpers/entries.ts';

/** The fixture's clock: every relative time on the page is measured from here. */
export const NOW = Date.UTC(2026, 4, 20, 15, 0);
const MIN = 60_000;

export const aliases = loadAliases();

export const config: Config = parseConfig(
  JSON.stringify({
    sources: [
      { id: 'meridian', title: 'Meridian Daily', url: 'https://meridian.example/rss', tags: ['europe'] },
      { id: 'northwind', title: 'Northwind Wire', url: 'https://northwind.example/feed', tags: ['world'] },
      { id: 'harbour', title: 'The Harbour Gazette', url: 'https://harbour.example/atom', tags: ['europe'] },
      { id: 'ledger', title: 'Capital Ledger', url: 'https://ledger.example/feed.json', tags: ['business'] },
      { id: 'courier', title: 'Eastern Courier', url: 'https://courier.example/rss', tags: ['world'] },
    ],
    feeds: [
      { slug: 'ukraine', title: 'Ukraine', include: ['Ukraine', 'Kyiv', 'Zelensky'] },
      { slug: 'europe', title: 'Europe', tags: ['europe'] },
      { slug: 'economy', title: 'Economy', description: 'Rates, markets and jobs.', include: ['bank', 'rates', 'markets', 'strike'] },
    ],
  }),
  'feeds.json',
);

type Report = [source: string, title: string, minutesAgo: number];
const STORIES: { summary: string; reports: Report[] }[] = [
  {
    summary: 'Leaders of the 27 member states agreed a joint fund for defence procurement after talks that ran through the night, ending weeks of disagreement over how it is financed.',
    reports: [
      ['harbour', 'EU leaders agree on new defence fund after overnight talks', 38],
      ['meridian', 'Brussels summit ends with deal on joint defence spending', 31],
      ['northwind', 'EU strikes deal on defence fund', 25],
      ['courier', 'After all-night talks, Europe agrees how to pay for defence', 12],
    ],
  },
  {
    summary: 'Engineers restored electricity to most districts of the capital by morning, the city administration said; repairs to two substations continue.',
    reports: [
      ['northwind', 'Kyiv restores power to most districts after overnight strikes', 95],
      ['courier', 'Power back in most of Kyiv as repairs continue', 80],
      ['meridian', 'Zelenskyy thanks engineers as Kyiv lights come back on', 61],
    ],
  },
  {
    summary: 'The central bank left its main rate unchanged for a third meeting and said it expects to cut later in the year if inflation keeps easing.',
    reports: [
      ['ledger', 'Central bank holds rates steady, signals cuts later this year', 140],
      ['northwind', 'Rates on hold as bank waits for inflation to ease', 128],
    ],
  },
  {
    summary: 'Forecasters issued an amber warning as temperatures are expected to pass 38 °C across the south from Thursday.',
    reports: [['meridian', 'Heatwave warning issued for southern regions', 190]],
  },
  {
    summary: 'A survey ship has mapped a cold-water coral reef stretching for eleven kilometres at a depth of 800 metres.',
    reports: [
      ['harbour', 'Researchers map deep-sea coral reef off the Azores', 260],
      ['courier', 'Scientists find vast coral reef in the deep Atlantic', 245],
    ],
  },
  {
    summary: 'Unions called off Friday’s national rail strike after operators improved their pay offer late on Tuesday.',
    reports: [
      ['ledger', 'Rail strike called off after last-minute deal', 330],
      ['meridian', 'Friday rail strike cancelled as unions accept pay offer', 320],
      ['harbour', 'Trains to run on Friday after strike is suspended', 300],
    ],
  },
  {
    summary: 'Turnout in the municipal elections reached 61 per cent, the highest in twenty years, according to provisional figures.',
    reports: [['courier', 'Local elections: turnout highest in two decades', 420]],
  },
  {
    summary: 'Shares in European carmakers rose after the companies reported stronger-than-expected orders for electric models.',
    reports: [
      ['ledger', 'Carmakers lift European markets on electric orders', 610],
      ['northwind', 'Auto stocks rally as EV orders beat forecasts', 590],
    ],
  },
];

/** Pictures some reports carry (story index → report index → picture), their URLs on `imageOrigin`. */
export const PICTURES: Record<number, Record<number, { path: string; width: number | null; height: number | null }>> = {
  0: { 0: { path: '/img/defence-fund.png', width: 640, height: 360 } },
  // The representative report has none: the story shows another member's, whose size the feed did not state.
  1: { 2: { path: '/img/kyiv-power.png', width: null, height: null } },
};

/**
 * An in-memory store holding the fixture stories, plus a failing and a healthy source, each with two days of
 * polls. Reports in PICTURES carry a picture at `imageOrigin` (a local server in the browser test); without it, none does.
 */
export async function fixtureStore(imageOrigin?: string): Promise<Store> {
  const store = openSqliteStorage(':memory:');
  await store.syncSources(config.sources);
  for (const [i, s] of STORIES.entries()) {
    let storyId: number | undefined;
    for (const [j, [source, title, minutesAgo]] of s.reports.entries()) {
      const key = `s${i}-${j}`;
      const picture = imageOrigin === undefined ? undefined : PICTURES[i]?.[j];
      const image = picture ? { url: imageOrigin + picture.path, width: picture.width, height: picture.height } : null;
      const r = await store.upsertEntry(source, entryInput({ key, title, summary: s.summary, link: `https://${source}.example/news/${key}`, publishedAt: NOW - minutesAgo * MIN, image }), NOW);
      if (r.kind !== 'inserted') throw new Error(`fixture: could not insert ${key}`);
      await store.indexForSearch(r.id, normalizeForMatch(`${title} ${s.summary}`, aliases));
      storyId ??= await store.createStory(r.id);
      await store.assignStory(r.id, storyId);
      await store.refreshStory(storyId, NOW);
    }
  }
  // Two days of half-hourly polls before the last one, for the /sources strips: the healthy sources find new entries
  // now and then; courier worked, then went quiet, then started failing.
  for (let i = 47; i >= 1; i--) {
    const at = NOW - 4 * MIN - i * 30 * MIN;
    const update = { at, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: at + 30 * MIN, permanentRedirect: null };
    for (const [k, id] of ['meridian', 'northwind', 'harbour', 'ledger'].entries()) {
      const fresh = (i * (k + 3)) % 7 === 0 ? 0 : (i * (k + 5)) % 11;
      await store.recordSuccess(id, { ...update, newEntries: fresh, notModified: fresh === 0 && i % 2 === 0 });
    }
    if (i > 30) await store.recordSuccess('courier', { ...update, newEntries: i % 4 });
    else if (i > 8) await store.recordSuccess('courier', { ...update, httpStatus: 304, notModified: true });
    else await store.recordFailure('courier', { at, kind: 'timeout', message: 'fetch: no response within 20s', httpStatus: null, nextFetchAt: at + 30 * MIN, permanentRedirect: null });
  }
  for (const id of ['meridian', 'northwind', 'harbour', 'ledger']) {
    await store.recordSuccess(id, { at: NOW - 4 * MIN, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: NOW + 11 * MIN, permanentRedirect: null });
  }
  await store.recordFailure('courier', { at: NOW - 4 * MIN, kind: 'timeout', message: 'fetch: no response within 20s', httpStatus: null, nextFetchAt: NOW + 26 * MIN, permanentRedirect: null });
  return store;
}
