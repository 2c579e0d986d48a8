/**
 * Circuit breaker around every HTTP attempt to CRS. After `failureThreshold` consecutive failures (refused,
 * reset, timeout, 5xx) it opens and calls fail fast; after `resetTimeoutMs` it lets exactly one probe through
 * (half-open): success closes it, failure re-opens it for another `resetTimeoutMs`.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  resetTimeoutMs: number;
  now?: () => number;
  onChange?: (from: BreakerState, to: BreakerState) => void;
}

export interface Breaker {
  /** Throws CircuitOpenError unless this attempt may go to CRS; returns a ticket to settle exactly once. */
  enter(): BreakerTicket;
  state(): BreakerState;
  /** Milliseconds until the next probe is allowed (0 when closed). */
  retryInMs(): number;
  /**
   * While a half-open probe is in flight: a promise that settles with it. Callers wait for the verdict instead of
   * failing fast, so a recovering CRS serves the calls issued together with the probe (the sync issues three).
   */
  probeSettled(): Promise<void> | undefined;
}

export interface BreakerTicket {
  success(): void;
  failure(): void;
}

export class CircuitOpenError extends Error {
  constructor(readonly retryInMs: number) {
    super('CRS circuit is open');
    this.name = 'CircuitOpenError';
  }
}

export function createBreaker(opts: BreakerOptions): Breaker {
  const now = opts.now ?? Date.now;
  let failures = 0;
  let openedAt = 0;
  let open = false;
  let probeInFlight = false;
  let probeDone: { promise: Promise<void>; resolve: () => void } | undefined;

  const current = (): BreakerState => {
    if (!open) return 'closed';
    return now() - openedAt >= opts.resetTimeoutMs ? 'half-open' : 'open';
  };
  const transition = (from: BreakerState, to: BreakerState) => {
    if (from !== to) opts.onChange?.(from, to);
  };
  const retryInMs = () => (open ? Math.max(0, opts.resetTimeoutMs - (now() - openedAt)) : 0);

  return {
    state: current,
    retryInMs,
    probeSettled: () => (probeInFlight && current() === 'half-open' ? probeDone?.promise : undefined),
    enter() {
      const state = current();
      if (state === 'open' || (state === 'half-open' && probeInFlight)) {
        throw new CircuitOpenError(retryInMs());
      }
      const isProbe = state === 'half-open';
      if (isProbe) {
        probeInFlight = true;
        let resolve = () => {};
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        probeDone = { promise, resolve };
      }
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
        if (isProbe) {
          probeInFlight = false;
          probeDone?.resolve();
        }
      };
      return {
        success: () =>
          settle(() => {
            const from = current();
            failures = 0;
            open = false;
            transition(from, 'closed');
          }),
        failure: () =>
          settle(() => {
            const from = current();
            failures += 1;
            // A failed probe re-opens at once; otherwise only the threshold opens it. Late failures of attempts
            // that started before the circuit opened do not push the probe time further out.
            if (isProbe || (!open && failures >= opts.failureThreshold)) {
              open = true;
              openedAt = now();
              transition(from, 'open');
            }
          }),
      };
    },
  };
}
