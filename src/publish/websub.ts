// WebSub publisher side: tells the hub which feed URLs changed (https://www.w3.org/TR/websub/#publishing).
import type { Logger } from '../lib/logger.ts';

/** Pings `hub` with hub.mode=publish for each topic URL; failures are logged, never thrown. */
export async function pingHub(hub: string, topics: readonly string[], log: Logger, timeoutMs = 10_000): Promise<number> {
  let ok = 0;
  for (const topic of topics) {
    try {
      const res = await fetch(hub, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) ok++;
      else log.warn({ hub, topic, http_status: res.status }, 'websub.ping_rejected');
    } catch (err) {
      log.warn({ hub, topic, error: (err as Error).message }, 'websub.ping_failed');
    }
  }
  log.info({ hub, topics: topics.length, ok }, 'websub.pinged');
  return ok;
}

/** The public URL of a cached feed key ("slug\nformat\nbaseUrl"). */
export function feedUrlOfKey(key: string): string {
  const [slug, format, baseUrl] = key.split('\n');
  return `${baseUrl}/feeds/${slug}.${format}`;
}
