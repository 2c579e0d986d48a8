import type { SendResult } from './types.js';

/**
 * When the outbox tries a delivery again, when it gives up, and when a channel is paused
 * (docs/decisions/023-notification-channels.md). Pure functions of the attempt count, the result, the time and
 * a random source, so the worker's schedule is tested without waiting.
 */
export interface RetryPolicy {
  /** Delay after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  /** The doubling stops here. */
  maxDelayMs: number;
  /** Attempts in all (the first one included); after the last one the delivery is given up. */
  maxAttempts: number;
  /** A receiver's Retry-After is honoured up to this long (a platform's daily quota may ask for a day). */
  maxRetryAfterMs: number;
  /** Consecutive failed attempts on one channel after which it is paused until its owner looks at it. */
  pauseAfterFailures: number;
}

/**
 * Delays of 30 s, 1, 2, 4 … 128 min between ten attempts: about four hours in all (three with jitter), enough to
 * ride out a receiver's restart or a platform's rate limit without delivering a message about "now" days late.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
  maxAttempts: 10,
  maxRetryAfterMs: 24 * 3_600_000,
  pauseAfterFailures: 5,
};

export type Random = () => number;

/**
 * The delay after failed attempt `attempt` (1-based): exponential, capped, with "equal jitter" — half of it fixed,
 * half random — so deliveries that failed together (a receiver down for everyone) do not come back together,
 * and no delay is ever shorter than half the schedule's.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: Random = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(n - 1, 52));
  return Math.round(full / 2 + (full / 2) * clamp01(random()));
}

export type NextStep =
  | { action: 'delivered' }
  | { action: 'retry'; at: Date }
  | { action: 'give_up'; reason: 'permanent' | 'attempts_exhausted' };

/** What happens to a delivery after attempt `attempt` (1-based) ended in `result` at `now`. */
export function nextStep(
  result: SendResult,
  attempt: number,
  now: Date,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: Random = Math.random,
): NextStep {
  if (result.ok) return { action: 'delivered' };
  if (!result.retryable) return { action: 'give_up', reason: 'permanent' };
  if (attempt >= policy.maxAttempts) return { action: 'give_up', reason: 'attempts_exhausted' };
  const asked = Math.min(result.retryAfterMs ?? 0, policy.maxRetryAfterMs);
  const delay = Math.max(backoffDelayMs(attempt, policy, random), asked);
  return { action: 'retry', at: new Date(now.getTime() + delay) };
}

/**
 * A channel's run of consecutive failures after `result`: a delivery resets it; a failure of the operator's own
 * service (SMTP down) leaves it as it was, since it says nothing about this channel.
 */
export function consecutiveFailures(previous: number, result: SendResult): number {
  if (result.ok) return 0;
  return result.scope === 'service' ? previous : previous + 1;
}

/** Pause the channel (and tell its owner) once its run of failures reaches the policy's limit. */
export function shouldPause(consecutive: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return consecutive >= policy.pauseAfterFailures;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5);
