// `npm run bench [-- name...]`: runs the benchmarks (all, or the named ones) and prints their ratios.
import { runIngestBench } from './ingest.bench.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  ingest: runIngestBench,
  stories: async () => (await import('./stories.bench.ts')).runStoriesBench(),
  feeds: async () => (await import('./feeds.bench.ts')).runFeedsBench(),
  media: async () => (await import('./media.bench.ts')).runMediaBench(),
  api: async () => (await import('./api.bench.ts')).runApiBench(),
  startup: async () => (await import('./startup.bench.ts')).runStartupBench(),
  reindex: async () => (await import('./reindex.bench.ts')).runReindexBench(),
  scale: async () => (await import('./scale.bench.ts')).runScaleBench(),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of names.length ? names : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  await bench();
  console.log('');
}
