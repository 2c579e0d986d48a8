import { describe, expect, it } from 'vitest';
import { zeroCounts } from '../../src/crs-emulator/buckets.js';
import { GlobalUsage } from '../../src/crs-emulator/key-usage.js';

/**
 * `system:metrics:minute:<m>` gets its 600 s TTL at each write (docs/crs.md §9), so CRS's Redis keeps a minute for
 * 600 s after its last write. The store forgets minutes on the same rule; the Redis snapshot writes what the store
 * holds, and must keep what the command-by-command mirror keeps (tests/contract/redis-snapshot.test.ts).
 */
describe('per-minute metrics', () => {
  const MIN = 60_000;
  const one = { ...zeroCounts(), requests: 1, input: 10, output: 5 };

  it('keeps a minute for 600 s after its last write, not after its start', () => {
    const g = new GlobalUsage();
    const start = 29_936_233 * MIN;
    g.addMinute(start + 50_000, start + 50_000, one);
    // 620 s after the minute began, 570 s after its write: a new minute's first write prunes the old ones.
    const now = start + 620_000;
    g.addMinute(now, now, one);
    expect([...g.minutes.keys()]).toEqual([29_936_233, 29_936_243]);
    // 600 s after its last write it is gone, as in Redis.
    const later = start + 650_000 + MIN;
    g.addMinute(later, later, one);
    expect(g.minutes.has(29_936_233)).toBe(false);
  });
});
