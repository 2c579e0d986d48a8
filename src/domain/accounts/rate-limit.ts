import type { CounterStore } from '../../infra/rate-limit/index.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Budget } from '../limits.js';

/*
 * Sign-in limits that stop guessing without letting anyone lock the owner out (docs/decisions/014, OWASP's
 * "device cookies"):
 * - a browser that signed in to this account before carries a signed device cookie; its attempts are counted per
 *   device only, so failures from anywhere else never block it;
 * - every other attempt is counted per (account, address) with growing delays, per address across accounts, and
 *   per account (what stops a guesser with many addresses).
 * Unknown e-mail addresses are counted like real ones, so the limiter says nothing about who has an account.
 */
export const LOGIN_LIMITS = {
  /** Per (account, address): `free` failures, then a delay that doubles per failure up to `maxDelayMs`. */
  pair: { free: 5, windowMs: 60 * 60_000, maxDelayMs: 15 * 60_000 },
  /** Per address, across accounts (password spraying). */
  address: { max: 50, windowMs: 15 * 60_000 },
  /** Per account, for clients that are not a known device of it. */
  account: { max: 20, windowMs: 15 * 60_000 },
  /** Per known device: past this, the device cookie stops counting as known. */
  device: { max: 10, windowMs: 15 * 60_000 },
} as const;

/**
 * Registrations per address per hour: each one costs an argon2 hash (tens of ms of CPU), so unlimited
 * registration would be a cheap way to load the server.
 */
export const REGISTER_LIMIT: Budget = { max: 50, windowMs: 60 * 60_000 };

/** Wrong current passwords per user (a stolen session must not guess freely). */
export const PASSWORD_CHANGE_LIMIT: Budget = { max: 10, windowMs: 15 * 60_000 };

export interface LoginAttempt {
  /** The normalised e-mail address. */
  account: string;
  ip?: string;
  /** The id of a valid device cookie issued for this account, if the browser sent one. */
  deviceId?: string;
}

export interface LoginGuard {
  /** Throws 429 when the attempt must wait; says whether it counts as a known device. Before any password work. */
  check(a: LoginAttempt): Promise<{ trusted: boolean }>;
  failed(a: LoginAttempt, trusted: boolean): Promise<void>;
  succeeded(a: LoginAttempt): Promise<void>;
}

/** The delay after the n-th failure of one (account, address): 0 for the free ones, then 1 s, 2 s, 4 s, … */
export function pairDelayMs(failures: number): number {
  const { free, maxDelayMs } = LOGIN_LIMITS.pair;
  if (failures <= free) return 0;
  return Math.min(1000 * 2 ** (failures - free - 1), maxDelayMs);
}

export function loginGuard(counters: CounterStore, clock: Clock): LoginGuard {
  const L = LOGIN_LIMITS;
  const keys = (a: LoginAttempt) => ({
    pair: `login:pair:${a.account}|${a.ip ?? '-'}`,
    address: `login:ip:${a.ip ?? '-'}`,
    account: `login:acct:${a.account}`,
    device: `login:dev:${a.deviceId ?? '-'}`,
  });

  return {
    async check(a) {
      const k = keys(a);
      const now = clock().getTime();
      const [pair, address, account, device] = await counters.read([k.pair, k.address, k.account, k.device], now);
      if (a.deviceId && device.count < L.device.max) return { trusted: true };
      const waits = [
        pair.count > L.pair.free ? pair.lastAt + pairDelayMs(pair.count) - now : 0,
        a.ip && address.count >= L.address.max ? address.resetAt - now : 0,
        account.count >= L.account.max ? account.resetAt - now : 0,
      ];
      const wait = Math.max(...waits);
      if (wait > 0) {
        throw new AppError(
          'rate_limited',
          'Too many failed sign-in attempts; try again later',
          undefined,
          Math.max(1, Math.ceil(wait / 1000)),
        );
      }
      return { trusted: false };
    },
    async failed(a, trusted) {
      const k = keys(a);
      const now = clock().getTime();
      if (trusted) {
        await counters.hit([{ key: k.device, windowMs: L.device.windowMs }], now);
        return;
      }
      await counters.hit(
        [
          { key: k.pair, windowMs: L.pair.windowMs, sliding: true },
          { key: k.account, windowMs: L.account.windowMs },
          ...(a.ip ? [{ key: k.address, windowMs: L.address.windowMs }] : []),
        ],
        now,
      );
    },
    async succeeded(a) {
      // Not the account or address counts: the owner signing in must not hand a guesser a fresh budget.
      const k = keys(a);
      await counters.reset(a.deviceId ? [k.pair, k.device] : [k.pair]);
    },
  };
}
