// Clustering leadership: one process at a time assigns entries to stories. It is a lease row in the database
// ('clustering' on PostgreSQL; on SQLite, 'poller': there the one process that polls is also the one that clusters),
// renewed every third of its length; a holder that stops renewing (killed, frozen, cut off) loses it once it expires,
// a dead process of this machine at once. Every transaction that assigns stories first renews the lease inside itself
// (fence): on PostgreSQL that locks the row until commit, so a process that lost the lease can never commit an
// assignment after another took over, and the taker waits for the old leader's last transaction to end.
import type { Logger } from '../lib/logger.ts';
import { OperatorError } from '../lib/operator-error.ts';
import type { LeaseRow, Storage, StorageTx } from '../store/index.ts';
import { holderId, isDeadHolder } from './node.ts';

/** Thrown inside a transaction whose process is no longer the clustering leader: it rolls back. */
export class LeadershipLost extends Error {
  constructor(name: string) {
    super(`lease "${name}" was taken by another process`);
    this.name = 'LeadershipLost';
  }
}

/** The lease that makes a process the one that assigns stories. */
export class Leadership {
  readonly name: string;
  /**
   * True where several processes poll one database (PostgreSQL): their polls claim sources and fence their
   * assignments. On SQLite the lease only keeps a second poller out; the one that polls owns every source.
   */
  readonly shared: boolean;
  // Until when this process may act as leader: the lease's expiry as last written by it (0: not leader).
  private until = 0;

  constructor(
    private readonly store: Storage,
    readonly leaseMs: number,
    private readonly log?: Logger,
    /** This process in lease holders (tests name several in one process). */
    readonly holder: string = holderId(),
  ) {
    this.shared = store.engine === 'postgres';
    this.name = this.shared ? 'clustering' : 'poller';
  }

  /** True while this process holds the lease (as far as it knows: it stops believing so when its own renewal lapses). */
  get held(): boolean {
    return this.until > Date.now();
  }

  /** Takes the lease if it is free, expired or a dead holder's, or renews it if held; returns who holds it. */
  async acquire(): Promise<LeaseRow> {
    const now = Date.now();
    const row = await this.store.acquireLease(this.name, this.holder, now, now + this.leaseMs, isDeadHolder);
    this.set(row.holder === this.holder ? row.expiresAt : 0);
    return row;
  }

  /** Renews the lease when held (once a third of it has passed), else tries to take it; true when held afterwards. */
  async keep(): Promise<boolean> {
    if (this.until) {
      // Called every second by the clustering loop: a write every third of the lease is enough (on SQLite, a commit).
      if (this.until - Date.now() > (this.leaseMs * 2) / 3) return true;
      const until = Date.now() + this.leaseMs;
      if (await this.store.renewLease(this.name, this.holder, until)) {
        this.set(until);
        return true;
      }
      this.set(0);
    }
    return (await this.acquire()).holder === this.holder;
  }

  /**
   * For a process about to poll: takes the lease when it can (on PostgreSQL it may lead later, or never). On SQLite,
   * where one process polls a file, refuses with an OperatorError naming the process that polls it.
   */
  async takePolling(): Promise<void> {
    if ((await this.keep()) || this.shared) return;
    const holder = (await this.current())?.holder ?? 'unknown';
    throw new OperatorError(
      `another storywire process (${holder}) already polls this database; on SQLite one process polls a file: stop it, serve beside it with --no-poll, or move to PostgreSQL to run several pollers`,
    );
  }

  /** Inside an assigning transaction: renews (and on PostgreSQL locks) the lease, or throws LeadershipLost. */
  async fence(tx: StorageTx): Promise<void> {
    const until = Date.now() + this.leaseMs;
    if (!(await tx.renewLease(this.name, this.holder, until))) {
      this.set(0);
      throw new LeadershipLost(this.name);
    }
    this.set(until);
  }

  /** Who holds the lease now (expired or not), or undefined. */
  current(): Promise<LeaseRow | undefined> {
    return this.store.lease(this.name);
  }

  /** Gives the lease up (a process stopping), so another takes over at once. */
  async release(): Promise<void> {
    if (!this.until) return;
    this.set(0);
    await this.store.releaseLease(this.name, this.holder);
  }

  private set(until: number): void {
    const was = this.until > 0;
    this.until = until;
    if (was !== until > 0) this.log?.info({ lease: this.name, holder: this.holder }, until > 0 ? 'leadership.acquired' : 'leadership.lost');
  }
}
