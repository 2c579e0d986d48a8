import { describe, expect, it } from 'vitest';
import { pooled, type RouteRun } from '../../bench/lib/pooled.js';

const run = (o: Partial<RouteRun>): RouteRun => ({
  rps: 0,
  p50Ms: 1,
  p99Ms: 4,
  requests: 0,
  seconds: 4,
  errors: 0,
  cpuUsPerReq: 30,
  writesPerReq: 1,
  ...o,
});

// The benchmark's ratio rests on this (docs/decisions/041): a wrong pooling would move every warm figure.
describe('pooled windows of one load', () => {
  it('rates all requests over all measured seconds, not the mean of the windows’ rates', () => {
    const p = pooled([run({ requests: 100, seconds: 1, rps: 100 }), run({ requests: 900, seconds: 3, rps: 300 })]);
    expect(p.rps).toBe(250);
    expect(p.requests).toBe(1000);
    expect(p.seconds).toBe(4);
    expect(p.roundsRps).toEqual([100, 300]);
  });

  it('weights CPU and writes per request by requests, quotes the worst p99 and the median p50', () => {
    const p = pooled([
      run({ requests: 100, cpuUsPerReq: 60, writesPerReq: 2, p50Ms: 3, p99Ms: 9 }),
      run({ requests: 300, cpuUsPerReq: 20, writesPerReq: 1, p50Ms: 1, p99Ms: 5 }),
      run({ requests: 100, cpuUsPerReq: 40, writesPerReq: 1, p50Ms: 2, p99Ms: 6, errors: 2 }),
    ]);
    expect(p.cpuUsPerReq).toBe(32); // (6,000 + 6,000 + 4,000) / 500
    expect(p.writesPerReq).toBe(1.2);
    expect(p.p50Ms).toBe(2);
    expect(p.p99Ms).toBe(9);
    expect(p.errors).toBe(2);
  });

  it('sums cache loads when the windows counted them (the portal’s), and leaves them out otherwise', () => {
    expect(pooled([run({ cacheMisses: 3 }), run({ cacheMisses: 4 })]).cacheMisses).toBe(7);
    expect('cacheMisses' in pooled([run({}), run({})])).toBe(false);
  });

  it('is the run itself when there was one window', () => {
    const one = run({ requests: 120_000, seconds: 4, rps: 30_000 });
    expect(pooled([one])).toMatchObject({ rps: 30_000, p50Ms: 1, p99Ms: 4, roundsRps: [30_000] });
  });
});
