// The clustering loop of a poller on PostgreSQL: every second (and at once when a poller says entries wait) it keeps or
// tries to take the clustering lease; while it leads it assigns the queued entries, in queue order, a batch per
// transaction, each fenced by the lease. A process that becomes leader forgets its story window and reads it afresh:
// the previous leader may have assigned entries since this process last looked.
import type { BackgroundErrorReporter } from '../lib/background.ts';
import type { Logger } from '../lib/logger.ts';
import { assignQueued } from '../pipeline/cluster-queue.ts';
import type { StoryAssigner } from '../pipeline/story-assigner.ts';
import type { Storage } from '../store/index.ts';
import type { Leadership } from './leadership.ts';

/** What one round of assigning changed, for the caches and WebSub pings of the leader. */
export interface ClusteringRound {
  assigned: number;
  changedStories: number[];
  createdStories: number;
}

export interface LeaderDeps {
  store: Storage;
  leadership: Leadership;
  assigner: () => StoryAssigner;
  log: Logger;
  report: BackgroundErrorReporter;
  now: () => number;
  /** Called after a round that changed stories (never concurrently with another round). */
  onChanged: (round: ClusteringRound) => Promise<void>;
  /** How often to check the lease and the queue without being told (1 s). */
  tickMs?: number;
  /** Called when a lease that only one process may hold (SQLite's poller) was lost: this process must stop polling. */
  onLost?: () => void;
}

/** Runs the clustering loop until stopped. */
export class ClusteringLoop {
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly d: LeaderDeps) {}

  async start(): Promise<void> {
    this.unlisten = await this.d.store.listen('pending', () => this.kick());
    this.timer = setInterval(() => this.kick(), this.d.tickMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Runs a round soon: now, or right after the one under way. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((err: unknown) => this.d.report('clustering', err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when the round under way (if any) ended. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async round(): Promise<void> {
    const { store, leadership } = this.d;
    const wasLeader = leadership.held;
    if (!(await leadership.keep())) {
      if (wasLeader && !leadership.shared) this.d.onLost?.();
      return;
    }
    if (!wasLeader) this.d.assigner().resync();
    // A read first: most seconds nothing waits, and a fenced transaction is a write.
    if (!(await store.pendingCount())) return;
    const total: ClusteringRound = { assigned: 0, changedStories: [], createdStories: 0 };
    const changed = new Set<number>();
    for (;;) {
      const assigner = this.d.assigner();
      const run = await store
        .transaction(async (tx) => {
          await leadership.fence(tx);
          const r = await assignQueued(tx, assigner, this.d.now());
          if (r.changedStories.size) await tx.noteStoriesChanged();
          return r;
        })
        .catch((e: unknown) => {
          assigner.resync();
          throw e;
        });
      total.assigned += run.assigned;
      total.createdStories += run.createdStories;
      for (const id of run.changedStories) changed.add(id);
      if (!run.more || this.stopped) break;
    }
    if (total.assigned) this.d.log.debug({ assigned: total.assigned, stories_changed: changed.size }, 'clustering.assigned');
    if (changed.size) await this.d.onChanged({ ...total, changedStories: [...changed] });
  }

  /** Stops the loop, lets the round under way finish and gives the lease up so another process leads at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await this.settled();
    await this.d.leadership.release().catch((err: unknown) => this.d.report('clustering', err));
  }
}
