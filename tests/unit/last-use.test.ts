import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LAST_USE_EVERY_MS, LAST_USE_GATHER_MS, lastUseRecorder } from '../../src/domain/accounts/last-use.js';

describe('last-use recorder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const recorder = () => {
    const writes: Array<{ ids: string[]; at: number }> = [];
    const failures: Error[] = [];
    const r = lastUseRecorder(
      async (ids, now) => {
        writes.push({ ids, at: now.getTime() });
      },
      (err) => failures.push(err),
    );
    return { r, writes, failures };
  };

  it('writes the uses that came due together in one statement, with the latest time', async () => {
    const { r, writes } = recorder();
    r.touch('a', new Date(1_000));
    r.touch('b', new Date(1_050));
    r.touch('c', new Date(1_100));
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(LAST_USE_GATHER_MS);
    expect(writes).toEqual([{ ids: ['a', 'b', 'c'], at: 1_100 }]);
  });

  it('records a credential at most once a minute', async () => {
    const { r, writes } = recorder();
    r.touch('a', new Date(0));
    await vi.advanceTimersByTimeAsync(LAST_USE_GATHER_MS);
    r.touch('a', new Date(LAST_USE_EVERY_MS - 1));
    await vi.advanceTimersByTimeAsync(LAST_USE_GATHER_MS);
    r.touch('a', new Date(LAST_USE_EVERY_MS));
    await vi.advanceTimersByTimeAsync(LAST_USE_GATHER_MS);
    expect(writes.map((w) => w.ids)).toEqual([['a'], ['a']]);
  });

  it('writes a full batch at once, without waiting for the window', () => {
    const { r, writes } = recorder();
    for (let i = 0; i < 1_000; i++) r.touch(`s${i}`, new Date(5_000));
    expect(writes).toHaveLength(1);
    expect(writes[0].ids).toHaveLength(1_000);
    r.touch('next', new Date(5_000));
    expect(writes).toHaveLength(1);
  });

  it('hands a failed write to its handler and goes on', async () => {
    const failures: Error[] = [];
    let calls = 0;
    const r = lastUseRecorder(
      async () => {
        calls++;
        throw new Error('database down');
      },
      (err) => failures.push(err),
    );
    r.touch('a', new Date(0));
    await vi.advanceTimersByTimeAsync(LAST_USE_GATHER_MS);
    r.touch('b', new Date(1));
    await vi.advanceTimersByTimeAsync(LAST_USE_GATHER_MS);
    expect(calls).toBe(2);
    expect(failures.map((e) => e.message)).toEqual(['database down', 'database down']);
  });
});
