// Concurrency limits: at most N tasks at once overall, and at most M per host.

/** Runs async tasks with at most `limit` in flight; the rest wait in FIFO order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** A global limit combined with a limit per host name. */
export class HostLimiter {
  private readonly global: Limiter;
  private readonly hosts = new Map<string, Limiter>();

  constructor(
    globalLimit: number,
    private readonly perHost: number,
  ) {
    this.global = new Limiter(globalLimit);
  }

  /** Runs `task` for `url` within both limits; the host slot is taken first so one slow host cannot hold global slots. */
  run<T>(url: string, task: () => Promise<T>): Promise<T> {
    const host = hostOf(url);
    let limiter = this.hosts.get(host);
    if (!limiter) this.hosts.set(host, (limiter = new Limiter(this.perHost)));
    return limiter.run(() => this.global.run(task));
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
