import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

/**
 * Failed-attempt limiter (product.md §2: login is rate-limited per IP and per account).
 *
 * Async on purpose: this implementation keeps its counts in process memory, and a Redis one can replace it
 * behind the same interface. Consequence of memory, written down for the operator: with N portal instances
 * behind a round-robin balancer an attacker gets up to N times the budget, and a restart forgets the counts.
 * Both stay within the intent (slowing brute force from thousands of guesses a minute to a few dozen per
 * quarter hour); a deployment that needs a global budget plugs in a shared store.
 */
export interface AttemptLimiter {
  /** Seconds until `key` may try again, 0 when it may try now. */
  blockedFor(key: string): Promise<number>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface WindowLimit {
  max: number;
  windowMs: number;
}

/** The defaults of both budgets: ten failures per account and fifty per address per quarter hour. */
export const LOGIN_LIMITS = {
  account: { max: 10, windowMs: 15 * 60_000 },
  ip: { max: 50, windowMs: 15 * 60_000 },
} as const satisfies Record<string, WindowLimit>;

/**
 * Registrations per address per hour: each one costs an argon2 hash (tens of ms of CPU), so unlimited
 * registration would be a cheap way to load the server.
 */
export const REGISTER_LIMIT = { max: 50, windowMs: 60 * 60_000 } as const satisfies WindowLimit;

/** Tracked keys before a sweep of expired entries; an attacker rotating keys cannot grow memory without bound. */
const MAX_KEYS = 50_000;

/**
 * Sliding log: the time of each failure within the window. Exact (no burst at a window edge), and `max`
 * timestamps per key at most, because blocked attempts are refused before they are recorded.
 */
export function memoryLimiter(limit: WindowLimit, clock: Clock): AttemptLimiter {
  const log = new Map<string, number[]>();

  const live = (key: string, now: number): number[] => {
    const times = log.get(key);
    if (!times) return [];
    const from = now - limit.windowMs;
    while (times.length && times[0] <= from) times.shift();
    if (!times.length) log.delete(key);
    return times;
  };

  const sweep = (now: number) => {
    for (const key of log.keys()) live(key, now);
    // Still nearly full of live keys: forget the oldest tenth at once (Map order is insertion order), so the
    // O(n) sweep runs once per many inserts, not on every one.
    for (const key of log.keys()) {
      if (log.size < MAX_KEYS * 0.9) break;
      log.delete(key);
    }
  };

  return {
    async blockedFor(key) {
      const now = clock().getTime();
      const times = live(key, now);
      if (times.length < limit.max) return 0;
      return Math.max(1, Math.ceil((times[times.length - limit.max] + limit.windowMs - now) / 1000));
    },
    async fail(key) {
      const now = clock().getTime();
      const times = live(key, now);
      if (!log.has(key)) {
        if (log.size >= MAX_KEYS) sweep(now);
        log.set(key, times);
      }
      times.push(now);
      if (times.length > limit.max) times.splice(0, times.length - limit.max);
    },
    async reset(key) {
      log.delete(key);
    },
  };
}

export interface LoginGuard {
  /** Throws 429 when either budget is spent; called before any password work. */
  check(account: string, ip: string | undefined): Promise<void>;
  failed(account: string, ip: string | undefined): Promise<void>;
  succeeded(account: string): Promise<void>;
}

/** Account and IP budgets together. Unknown emails count too, so the limiter says nothing about who exists. */
export function loginGuard(accounts: AttemptLimiter, ips: AttemptLimiter): LoginGuard {
  return {
    async check(account, ip) {
      const [a, i] = await Promise.all([accounts.blockedFor(account), ip ? ips.blockedFor(ip) : 0]);
      const wait = Math.max(a, i);
      if (wait > 0) {
        throw new AppError('rate_limited', 'Too many failed sign-in attempts; try again later', undefined, wait);
      }
    },
    async failed(account, ip) {
      await Promise.all([accounts.fail(account), ip ? ips.fail(ip) : undefined]);
    },
    async succeeded(account) {
      await accounts.reset(account);
    },
  };
}
