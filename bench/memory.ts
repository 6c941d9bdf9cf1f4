// Peak memory sampling for benchmarks.

/** Samples RSS every 20 ms while `fn` runs; returns its result and the peak in MiB. */
export async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMiB: peak / 1048576 };
  } finally {
    clearInterval(timer);
  }
}
