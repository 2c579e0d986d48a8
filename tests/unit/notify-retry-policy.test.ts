import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  consecutiveFailures,
  DEFAULT_RETRY_POLICY,
  nextStep,
  type RetryPolicy,
  shouldPause,
} from '../../src/infra/notify/retry-policy.js';
import { delivered, failed } from '../../src/infra/notify/types.js';

const policy: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 5,
  maxRetryAfterMs: 3_600_000,
  pauseAfterFailures: 3,
};
const now = new Date('2025-06-01T00:00:00Z');
const low = () => 0;
const high = () => 1;

describe('retry policy', () => {
  it('doubles the delay after each failed attempt, between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, low))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, high))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('spreads deliveries that failed together (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, (_, i) => backoffDelayMs(3, policy, () => i / 20)));
    expect(delays.size).toBe(20);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(2_000);
  });

  it('caps the delay, however many attempts', () => {
    expect(backoffDelayMs(40, policy, high)).toBe(60_000);
    expect(backoffDelayMs(10_000, policy, high)).toBe(60_000);
  });

  it('retries a retryable failure at now + the delay', () => {
    const step = nextStep(failed('HTTP 503', true), 2, now, policy, high);
    expect(step).toEqual({ action: 'retry', at: new Date(now.getTime() + 2_000) });
  });

  it("waits at least as long as the receiver's Retry-After, up to the policy's limit", () => {
    expect(nextStep(failed('429', true, { retryAfterMs: 30_000 }), 1, now, policy, high)).toEqual({
      action: 'retry',
      at: new Date(now.getTime() + 30_000),
    });
    expect(nextStep(failed('429', true, { retryAfterMs: 86_400_000 }), 1, now, policy, high)).toEqual({
      action: 'retry',
      at: new Date(now.getTime() + 3_600_000),
    });
  });

  it('gives up after the last attempt, and at once on a permanent failure', () => {
    expect(nextStep(failed('HTTP 503', true), 4, now, policy, high).action).toBe('retry');
    expect(nextStep(failed('HTTP 503', true), 5, now, policy, high)).toEqual({
      action: 'give_up',
      reason: 'attempts_exhausted',
    });
    expect(nextStep(failed('HTTP 404', false), 1, now, policy, high)).toEqual({
      action: 'give_up',
      reason: 'permanent',
    });
    expect(nextStep(delivered, 3, now, policy, high)).toEqual({ action: 'delivered' });
  });

  it("pauses a channel after K consecutive failures of its own, not of the operator's service", () => {
    let run = 0;
    run = consecutiveFailures(run, failed('HTTP 500', true));
    run = consecutiveFailures(run, failed('HTTP 404', false));
    expect(shouldPause(run, policy)).toBe(false);
    run = consecutiveFailures(run, failed('SMTP down', true, { scope: 'service' }));
    expect(run).toBe(2);
    run = consecutiveFailures(run, failed('HTTP 500', true));
    expect(shouldPause(run, policy)).toBe(true);
    expect(consecutiveFailures(run, delivered)).toBe(0);
  });

  it('has defaults that span hours, not minutes or days', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_RETRY_POLICY.maxAttempts; n++) total += backoffDelayMs(n, DEFAULT_RETRY_POLICY, high);
    expect(total).toBeGreaterThan(3_600_000);
    expect(total).toBeLessThan(24 * 3_600_000);
  });
});
