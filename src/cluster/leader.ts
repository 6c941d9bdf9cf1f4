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
    const wasLeader = this.d.leadership.held;
    const round = await assignAsLeader(this.d, () => this.stopped);
    if (!round) {
      if (wasLeader && !this.d.leadership.shared) this.d.onLost?.();
      return;
    }
    if (round.assigned) this.d.log.debug({ assigned: round.assigned, stories_changed: round.changedStories.length }, 'clustering.assigned');
    if (round.changedStories.length) await this.d.onChanged(round);
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

/**
 * Keeps (or takes) the clustering lease and, while this process leads, assigns the queued entries, one fenced batch
 * per transaction, until the queue is empty or `stop()` says so. Null when another process leads. A process that has
 * just become leader forgets its story window first: the previous leader may have assigned entries since it last looked.
 */
export async function assignAsLeader(d: Pick<LeaderDeps, 'store' | 'leadership' | 'assigner' | 'now'>, stop: () => boolean = () => false): Promise<ClusteringRound | null> {
  const { store, leadership } = d;
  const wasLeader = leadership.held;
  if (!(await leadership.keep())) return null;
  if (!wasLeader) d.assigner().resync();
  const total: ClusteringRound = { assigned: 0, changedStories: [], createdStories: 0 };
  // A read first: most of the time nothing waits, and a fenced transaction is a write.
  if (!(await store.pendingCount())) return total;
  const changed = new Set<number>();
  for (;;) {
    const assigner = d.assigner();
    const run = await store
      .transaction(async (tx) => {
        await leadership.fence(tx);
        const r = await assignQueued(tx, assigner, d.now());
        if (r.changedStories.size) await tx.noteStoriesChanged();
        return r;
      })
      .catch((e: unknown) => {
        // Rolled back: the window may hold assignments that were never stored.
        assigner.resync();
        throw e;
      });
    total.assigned += run.assigned;
    total.createdStories += run.createdStories;
    for (const id of run.changedStories) changed.add(id);
    if (!run.more || stop()) break;
  }
  return { ...total, changedStories: [...changed] };
}
