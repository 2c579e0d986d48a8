import type { CounterStore } from '../infra/rate-limit/index.js';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';

/** At most `max` counted events per window (fixed window, starting at the first event). */
export interface Budget {
  max: number;
  windowMs: number;
}

/**
 * Budgets over the shared counters (docs/decisions/014): every instance counts into the same store, so N instances
 * allow the budget once, not N times. The answer when one is spent is a 429 with `Retry-After`.
 */
export function createLimits(counters: CounterStore, clock: Clock) {
  const refuse = (message: string, resetAt: number, now: number) =>
    new AppError('rate_limited', message, undefined, Math.max(1, Math.ceil((resetAt - now) / 1000)));

  return {
    counters,
    /** Counts this attempt, then refuses it when it goes over the budget (every attempt counts, refused ones too). */
    async spend(key: string, budget: Budget, message: string): Promise<void> {
      const now = clock().getTime();
      const [w] = await counters.hit([{ key, windowMs: budget.windowMs }], now);
      if (w.count > budget.max) throw refuse(message, w.resetAt, now);
    },
    /** Refuses when the budget is spent, without counting: for failures recorded afterwards with `record`. */
    async check(key: string, budget: Budget, message: string): Promise<void> {
      const now = clock().getTime();
      const [w] = await counters.read([key], now);
      if (w.count >= budget.max) throw refuse(message, w.resetAt, now);
    },
    async record(key: string, budget: Budget): Promise<void> {
      await counters.hit([{ key, windowMs: budget.windowMs }], clock().getTime());
    },
  };
}

export type Limits = ReturnType<typeof createLimits>;

/** Per-user key writes (create, update, delete): each one is a CRS write, and a delete leaves a key in CRS. */
export const keyWritesBudget = (perMinute: number): Budget => ({ max: perMinute, windowMs: 60_000 });
