// One AbortController and one timer around a whole fetch, so the limit covers connect, headers and body.

/** The abort signal for one fetch and why it fired, if it did. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True once the timer fired. */
  timedOut(): boolean;
  /** True once the caller's own signal aborted. */
  cancelled(): boolean;
  /** Stops the transfer now (used when the body goes over its limit). */
  stop(): void;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

// Distinct reasons let us tell our timeout from the caller's cancel and from our own stop.
const TIMEOUT = new Error('fetch: deadline passed');
const CANCELLED = new Error('fetch: cancelled by caller');
const STOPPED = new Error('fetch: stopped');

/** Starts the timer; the returned signal aborts on timeout, on `stop()` or when `outer` aborts. */
export function startDeadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
  const onOuterAbort = (): void => controller.abort(CANCELLED);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => controller.signal.reason === TIMEOUT,
    cancelled: () => controller.signal.reason === CANCELLED,
    stop: () => controller.abort(STOPPED),
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
