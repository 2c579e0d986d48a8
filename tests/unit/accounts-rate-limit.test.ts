import { describe, expect, it } from 'vitest';
import { loginGuard, memoryLimiter } from '../../src/domain/accounts/rate-limit.js';
import { AppError } from '../../src/domain/errors.js';

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('memoryLimiter (sliding log)', () => {
  it('blocks after max failures within the window and says for how long', async () => {
    const c = clock();
    const l = memoryLimiter({ max: 3, windowMs: 60_000 }, c.now);
    for (let i = 0; i < 3; i++) {
      expect(await l.blockedFor('k')).toBe(0);
      await l.fail('k');
      c.advance(10_000);
    }
    // Failures at 0, 10 s, 20 s; now 30 s: the oldest leaves the window at 60 s.
    expect(await l.blockedFor('k')).toBe(30);
    expect(await l.blockedFor('other')).toBe(0);
  });

  it('slides: each failure leaves the window on its own', async () => {
    const c = clock();
    const l = memoryLimiter({ max: 2, windowMs: 60_000 }, c.now);
    await l.fail('k');
    c.advance(30_000);
    await l.fail('k');
    c.advance(30_000); // the first failure is now exactly one window old
    expect(await l.blockedFor('k')).toBe(0);
    await l.fail('k');
    expect(await l.blockedFor('k')).toBe(30);
  });

  it('rounds a sub-second wait up to one second', async () => {
    const c = clock();
    const l = memoryLimiter({ max: 1, windowMs: 1000 }, c.now);
    await l.fail('k');
    c.advance(999);
    expect(await l.blockedFor('k')).toBe(1);
  });

  it('forgets a key on reset', async () => {
    const c = clock();
    const l = memoryLimiter({ max: 1, windowMs: 60_000 }, c.now);
    await l.fail('k');
    expect(await l.blockedFor('k')).toBeGreaterThan(0);
    await l.reset('k');
    expect(await l.blockedFor('k')).toBe(0);
  });

  it('keeps working when many keys are tracked', async () => {
    const c = clock();
    const l = memoryLimiter({ max: 1, windowMs: 60_000 }, c.now);
    for (let i = 0; i < 60_000; i++) await l.fail(`ip-${i}`);
    await l.fail('last');
    expect(await l.blockedFor('last')).toBeGreaterThan(0);
  });
});

describe('loginGuard', () => {
  it('throws rate_limited with retryAfter when either budget is spent', async () => {
    const c = clock();
    const guard = loginGuard(
      memoryLimiter({ max: 2, windowMs: 60_000 }, c.now),
      memoryLimiter({ max: 3, windowMs: 120_000 }, c.now),
    );
    await guard.failed('a@example.com', '1.1.1.1');
    await guard.failed('a@example.com', '1.1.1.1');
    const err = await guard.check('a@example.com', '2.2.2.2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfter: 60 });

    await guard.failed('b@example.com', '1.1.1.1');
    await expect(guard.check('c@example.com', '1.1.1.1')).rejects.toMatchObject({ retryAfter: 120 });
    await expect(guard.check('c@example.com', '2.2.2.2')).resolves.toBeUndefined();
  });

  it('a success clears the account budget but not the address budget', async () => {
    const c = clock();
    const guard = loginGuard(
      memoryLimiter({ max: 1, windowMs: 60_000 }, c.now),
      memoryLimiter({ max: 1, windowMs: 60_000 }, c.now),
    );
    await guard.failed('a@example.com', '1.1.1.1');
    await guard.succeeded('a@example.com');
    await expect(guard.check('a@example.com', '2.2.2.2')).resolves.toBeUndefined();
    await expect(guard.check('a@example.com', '1.1.1.1')).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
