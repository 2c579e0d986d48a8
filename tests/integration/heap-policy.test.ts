import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { applyPretenuring, growthPercent, MAX_PERCENT, nodeFlags, startHeapPolicy } from '../../src/lib/heap-policy.js';

const run = promisify(execFile);
const MB = 2 ** 20;

async function child<T>(script: string, args: (string | number)[] = [], nodeArgs: string[] = []): Promise<T> {
  const { stdout } = await run(process.execPath, [
    ...nodeArgs,
    '--import',
    'tsx',
    `tests/support/${script}`,
    ...args.map(String),
  ]);
  return JSON.parse(stdout) as T;
}

describe('heap growth policy and pretenuring (docs/decisions/040, 043, 044)', () => {
  // The flag is set on a running V8, which Node documents as "may simply do nothing": this proves it does, on the
  // Node this project runs on. The same churn under V8's own policy piles its garbage up well beyond the bound.
  it('collects a cycle’s garbage with the defaults, where V8’s own policy lets it pile up', async () => {
    const { heapGrowthPercent, heapHeadroomMb } = loadConfig({});
    const [own, bounded] = await Promise.all([
      child<{ peakMb: number }>('heap-churn.ts', [0, 0]),
      child<{ peakMb: number }>('heap-churn.ts', [heapGrowthPercent, heapHeadroomMb]),
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
      child<{ before: number; after: number; oldBytes: number }>('heap-adapt.ts', [8]),
      child<{ before: number; after: number; oldBytes: number }>('heap-adapt.ts', [60]),
    ]);
    const { heapGrowthPercent: minPercent, heapHeadroomMb: headroomMb } = loadConfig({});
    for (const r of [small, large]) {
      expect(r.before).toBe(20);
      expect(r.after).toBe(growthPercent(r.oldBytes, { minPercent, headroomMb }));
    }
    expect(small.after).toBeGreaterThan(50);
    expect(large.after).toBe(20);
  }, 60_000);

  it('leaves V8’s policy with 0, and an operator’s own --heap-growing-percent (command line or NODE_OPTIONS)', () => {
    expect(startHeapPolicy({ minPercent: 0, headroomMb: 20 }, [])).toBeUndefined();
    expect(startHeapPolicy({ minPercent: 50, headroomMb: 20 }, ['--heap-growing-percent=20'])).toBeUndefined();
    const viaEnv = nodeFlags({ NODE_OPTIONS: ' --heap-growing-percent=30  --max-old-space-size=512' }, ['--import']);
    expect(viaEnv).toEqual(['--import', '--heap-growing-percent=30', '--max-old-space-size=512']);
    expect(startHeapPolicy({ minPercent: 50, headroomMb: 20 }, viaEnv)).toBeUndefined();
  });

  // The premise is checked too: with V8's pretenuring kept, the same garbage goes to the old generation. Whether V8
  // marks the site depends on when its background compiler finishes (in a normal process it sometimes does not, as
  // in the portal's processes). `--predictable` (one thread, and none of V8's timer-driven collections) makes most
  // children decide alike, but not all on a loaded CI machine: runs there kept only 23 MB with `--single-threaded`
  // and, once, with `--predictable`. So up to three children keep it, and one of them must show the premise.
  it('keeps a site’s garbage young after V8 saw that site’s objects survive (docs/decisions/044)', async () => {
    type Outcome = { switchedOff: boolean; grownMb: number };
    const pretenure = (setting: string) => child<Outcome>('pretenure.ts', [setting], ['--predictable']);
    const [off, first] = await Promise.all([pretenure(''), pretenure('true')]);
    const kept = [first];
    while (kept.length < 3 && Math.max(...kept.map((k) => k.grownMb)) <= 200) kept.push(await pretenure('true'));
    const most = Math.max(...kept.map((k) => k.grownMb));
    expect(off.switchedOff).toBe(true);
    expect(kept.every((k) => !k.switchedOff)).toBe(true);
    expect(most, `kept: ${kept.map((k) => k.grownMb).join(', ')} MB`).toBeGreaterThan(200);
    expect(off.grownMb).toBeLessThan(most / 5);
  }, 60_000);

  it('leaves pretenuring on with HEAP_PRETENURING=true or an operator’s own flag', () => {
    expect(applyPretenuring(true, [])).toBe(false);
    expect(applyPretenuring(false, ['--allocation-site-pretenuring'])).toBe(false);
    expect(applyPretenuring(false, ['--no-allocation-site-pretenuring'])).toBe(false);
  });

  it('reads HEAP_GROWTH_PERCENT, HEAP_HEADROOM_MB (default 20 each) and HEAP_PRETENURING (off), naming a bad one', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(20);
    expect(loadConfig({}).heapHeadroomMb).toBe(20);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0', HEAP_HEADROOM_MB: '0' })).toMatchObject({
      heapGrowthPercent: 0,
      heapHeadroomMb: 0,
    });
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-5' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ HEAP_HEADROOM_MB: 'lots' })).toThrow(/HEAP_HEADROOM_MB/);
    expect(loadConfig({}).heapPretenuring).toBe(false);
    expect(loadConfig({ HEAP_PRETENURING: 'true' }).heapPretenuring).toBe(true);
    expect(() => loadConfig({ HEAP_PRETENURING: 'maybe' })).toThrow(/HEAP_PRETENURING/);
  });
});
