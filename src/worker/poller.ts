// The poll loop of `storywire worker`: claims due sources from the database as fetch slots free up, polls each, gives its lease back. Any number of pollers share
// the sources this way: a claim takes only due sources that no live poller holds, counting every poller's leases per
// host against settings.perHostConcurrency, and a poll pushes the source's next poll time past now before its lease is
// released, so a source is fetched once per interval across all of them.
import type { Config, Source } from '../config/index.ts';
import { isDeadHolder } from '../cluster/node.ts';
import type { Leadership } from '../cluster/leadership.ts';
import type { BackgroundErrorReporter } from '../lib/background.ts';
import type { Logger } from '../lib/logger.ts';
import { internalFailure, logOutcome, release } from '../pipeline/poll.ts';
import { pollSource, type SourceOutcome } from '../pipeline/poll-source.ts';
import type { StoryAssigner } from '../pipeline/story-assigner.ts';
import type { fetchFeed } from '../fetch/index.ts';
import type { Storage } from '../store/index.ts';

/** How long an idle poller waits before asking for due sources again (a poll ending asks at once). */
export const IDLE_MS = 1000;

export interface PollerDeps {
  store: Storage;
  config: () => Config;
  assigner: () => StoryAssigner;
  leadership: Leadership;
  log: Logger;
  report: BackgroundErrorReporter;
  /** Sources fetched at once by this process. */
  concurrency: number;
  /** Called after each source's poll (metrics, caches, WebSub). */
  onPolled: (outcome: SourceOutcome) => void;
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetchFeed;
}

/** Polls due sources continuously until stopped. */
export class SharedPoller {
  private readonly inflight = new Map<string, Promise<void>>();
  private wakeUp: (() => void) | null = null;
  private stopping = false;
  private loopDone: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | null = null;
  // Sources in the database this config does not poll, met in claims: a claim passes them (not every listed id).
  private readonly skip = new Set<string>();
  private skipFor: Config | null = null;

  constructor(private readonly d: PollerDeps) {}

  /** Sources this process holds a lease on (being fetched or stored). */
  get leases(): number {
    return this.inflight.size;
  }

  start(): void {
    this.loopDone = this.loop();
    const leaseMs = this.d.leadership.leaseMs;
    this.heartbeat = setInterval(() => {
      if (!this.inflight.size) return;
      this.d.store.renewSourceLeases(this.d.leadership.holder, Date.now() + leaseMs).catch((err: unknown) => this.d.report('lease-renew', err));
    }, Math.max(500, Math.floor(leaseMs / 3)));
    this.heartbeat.unref();
  }

  /** Stops claiming, lets the polls under way finish, and gives every lease back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loopDone;
    await Promise.all(this.inflight.values());
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.d.store.releaseSourceLeases(this.d.leadership.holder).catch((err: unknown) => this.d.report('lease-release', err));
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const free = this.d.concurrency - this.inflight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          claimed = await this.claim(free);
        } catch (err) {
          this.d.report('claim', err);
        }
      }
      if (this.stopping) break;
      // Every slot just filled: claim again once one frees. Otherwise nothing more is due (or its host is busy) now.
      if (claimed && claimed === free) await this.sleep(IDLE_MS * 10);
      else await this.sleep(IDLE_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async claim(free: number): Promise<number> {
    const config = this.d.config();
    if (config !== this.skipFor) {
      // A reloaded config may list a source skipped so far.
      this.skip.clear();
      this.skipFor = config;
    }
    const sources = new Map(config.sources.filter((s) => s.enabled).map((s) => [s.id, s]));
    const t = (this.d.now ?? Date.now)();
    const ids = await this.d.store.claimDueSources(
      free,
      { holder: this.d.leadership.holder, now: t, until: t + this.d.leadership.leaseMs, perHost: config.settings.perHostConcurrency, isDead: isDeadHolder },
      [...this.skip],
    );
    let launched = 0;
    for (const id of ids) {
      const source = sources.get(id);
      if (source) {
        this.launch(source, config);
        launched++;
        continue;
      }
      // In the database but not enabled in this config (another process's, or removed): left to others, skipped from now on.
      this.skip.add(id);
      await release(this.d.store, this.d.leadership, id, this.d.log);
    }
    return launched;
  }

  private launch(source: Source, config: Config): void {
    const now = this.d.now ?? Date.now;
    const random = this.d.random ?? Math.random;
    const store = this.d.store;
    const leadership = this.d.leadership;
    const ctx = {
      store,
      assigner: this.d.assigner(),
      now,
      random,
      fetch: this.d.fetch,
      fetchOptions: { timeoutMs: config.settings.timeoutMs, maxBytes: config.settings.maxBodyBytes, userAgent: config.settings.userAgent },
      leadership: leadership.shared ? leadership : undefined,
    };
    const deps = { store, config, assigner: ctx.assigner, log: this.d.log, now, random };
    const polled = pollSource(ctx, source)
      .catch((e: unknown) => internalFailure(deps, source, e, now(), random))
      .then((outcome) => {
        logOutcome(this.d.log, outcome);
        this.d.onPolled(outcome);
      })
      .catch((err: unknown) => this.d.report('poll', err))
      .finally(async () => {
        await release(store, leadership, source.id, this.d.log);
        this.inflight.delete(source.id);
        this.wake();
      });
    this.inflight.set(source.id, polled);
  }
}
