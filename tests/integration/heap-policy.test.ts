import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { growthPercent, MAX_PERCENT, startHeapPolicy } from '../../src/lib/heap-policy.js';

const run = promisify(execFile);
const MB = 2 ** 20;

async function child<T>(script: string, ...args: (string | number)[]): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', `tests/support/${script}`, ...args.map(String)]);
  return JSON.parse(stdout) as T;
}

describe('heap growth policy (docs/decisions/040, 043)', () => {
  // The flag is set on a running V8, which Node documents as "may simply do nothing": this proves it does, on the
  // Node this project runs on. The same churn under V8's own policy piles its garbage up well beyond the bound.
  it('collects a cycle’s garbage with the defaults, where V8’s own policy lets it pile up', async () => {
    const { heapGrowthPercent, heapHeadroomMb } = loadConfig({});
    const [own, bounded] = await Promise.all([
      child<{ peakMb: number }>('heap-churn.ts', 0, 0),
      child<{ peakMb: number }>('heap-churn.ts', heapGrowthPercent, heapHeadroomMb),
    ]);
    expect(bounded.peakMb).toBeLessThan(own.peakMb * 0.7);
  }, 60_000);

  it('gives a small heap the headroom in MB, and a large one the floor', () => {
    const policy = { minPercent: 20, headroomMb: 20 };
    expect(growthPercent(40 * MB, policy)).toBe(50);
    expect(growthPercent(5 * MB, policy)).toBe(MAX_PERCENT);
    expect(growthPercent(150 * MB, policy)).toBe(20);
    expect(growthPercent(40 * MB, { minPercent: 20, headroomMb: 0 })).toBe(20);
    // An operator's floor above the cap stays the floor.
    expect(growthPercent(5 * MB, { minPercent: 150, headroomMb: 20 })).toBe(150);
  });

  it('sets the factor for what a full collection left alive', async () => {
    const [small, large] = await Promise.all([
      child<{ before: number; after: number; oldBytes: number }>('heap-adapt.ts', 8),
      child<{ before: number; after: number; oldBytes: number }>('heap-adapt.ts', 60),
    ]);
    const { heapGrowthPercent: minPercent, heapHeadroomMb: headroomMb } = loadConfig({});
    for (const r of [small, large]) {
      expect(r.before).toBe(20);
      expect(r.after).toBe(growthPercent(r.oldBytes, { minPercent, headroomMb }));
    }
    expect(small.after).toBeGreaterThan(50);
    expect(large.after).toBe(20);
  }, 60_000);

  it('leaves V8’s policy with 0, and an operator’s own --heap-growing-percent on node’s command line', () => {
    expect(startHeapPolicy({ minPercent: 0, headroomMb: 20 }, [])).toBeUndefined();
    expect(startHeapPolicy({ minPercent: 50, headroomMb: 20 }, ['--heap-growing-percent=20'])).toBeUndefined();
  });

  it('reads HEAP_GROWTH_PERCENT (default 20) and HEAP_HEADROOM_MB (default 20), naming one out of range', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(20);
    expect(loadConfig({}).heapHeadroomMb).toBe(20);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0', HEAP_HEADROOM_MB: '0' })).toMatchObject({
      heapGrowthPercent: 0,
      heapHeadroomMb: 0,
    });
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-5' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ HEAP_HEADROOM_MB: 'lots' })).toThrow(/HEAP_HEADROOM_MB/);
  });
});
