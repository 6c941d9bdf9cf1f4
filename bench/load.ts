// autocannon runs against 127.0.0.1, printed side by side with a baseline from the same run.
import autocannon from 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon for `seconds` with `connections` against `url` (extra headers allowed). */
export async function load(name: string, url: string, opts: { connections?: number; seconds?: number; headers?: Record<string, string> } = {}): Promise<LoadResult> {
  const r = await autocannon({ url, connections: opts.connections ?? 50, duration: opts.seconds ?? 5, headers: opts.headers });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** Prints results with their ratio to the baseline's requests/s. */
export function printLoad(baseline: LoadResult, results: LoadResult[]): void {
  const row = (r: LoadResult) =>
    `  ${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms` +
    `${r === baseline ? '  (baseline)' : `  ratio ${(r.rps / baseline.rps).toFixed(2)}`}${r.non2xx ? `  non-2xx ${r.non2xx}` : ''}${r.errors ? `  errors ${r.errors}` : ''}`;
  for (const r of [baseline, ...results]) console.log(row(r));
}
