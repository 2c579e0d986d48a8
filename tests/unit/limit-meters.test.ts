import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { weekStart } from '../../src/crs-emulator/key-usage.js';
import { limitsOf } from '../../src/domain/keys/limits.js';
import { nextCrsMidnight, nextOpusReset, opusWeekStart } from '../../src/domain/meters/crs-time.js';
import { limitUsage } from '../../src/domain/meters/limit-usage.js';
import type { MeterFigures } from '../../src/domain/meters/types.js';
import { keysTrendReader } from '../../src/infra/crs/hot-parse.js';
import { parseWith } from '../../src/infra/crs/loose.js';
import { userStatsSchema } from '../../src/infra/crs/stats-schemas.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('CRS reset times', () => {
  it('CRS midnight in UTC+8 and UTC-5', () => {
    expect(nextCrsMidnight(at('2026-03-03T15:59:59Z'), 8).toISOString()).toBe('2026-03-03T16:00:00.000Z');
    expect(nextCrsMidnight(at('2026-03-03T16:00:00Z'), 8).toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(nextCrsMidnight(at('2026-03-03T04:00:00Z'), -5).toISOString()).toBe('2026-03-03T05:00:00.000Z');
  });

  it('the weekly Opus reset agrees with the emulator’s (CRS’s) rule for every day, hour and offset', () => {
    for (const offset of [8, -5, 0, 14]) {
      for (let ts = Date.parse('2026-03-01T00:00:00Z'); ts < Date.parse('2026-03-15T00:00:00Z'); ts += 5 * HOUR + 7) {
        for (const day of [1, 3, 7]) {
          for (const hour of [0, 5, 23]) {
            const crs = weekStart(ts + offset * HOUR, day, hour) - offset * HOUR;
            expect(opusWeekStart(new Date(ts), day, hour, offset).getTime()).toBe(crs);
          }
        }
      }
    }
  });

  it('Wednesday 05:00 in UTC+8: the week turns at 21:00 UTC on Tuesday', () => {
    expect(opusWeekStart(at('2026-03-03T20:59:59Z'), 3, 5, 8).toISOString()).toBe('2026-02-24T21:00:00.000Z');
    expect(opusWeekStart(at('2026-03-03T21:00:00Z'), 3, 5, 8).toISOString()).toBe('2026-03-03T21:00:00.000Z');
    expect(nextOpusReset(at('2026-03-03T21:00:00Z'), 3, 5, 8).toISOString()).toBe('2026-03-10T21:00:00.000Z');
  });
});

const figures = (f: Partial<MeterFigures>): MeterFigures => ({
  todayCostMicros: 0,
  limitsReadAt: at('2026-03-03T15:00:00Z'),
  windowStart: null,
  windowEnd: null,
  windowRequests: 0,
  windowTokens: 0,
  windowCostMicros: 0,
  opusCostMicros: 0,
  opusWeekStart: null,
  weeklyResetDay: 1,
  weeklyResetHour: 0,
  ...f,
});

describe('limitUsage', () => {
  const key = {
    status: 'active' as const,
    totalCostMicros: 12_345_678,
    expiresAt: null,
    limits: limitsOf({ rateLimitWindow: 60, rateLimitRequests: 10, weeklyOpusCostLimit: 20, totalCostLimit: 50 }),
  };
  const f = figures({
    windowStart: at('2026-03-03T15:00:00Z'),
    windowEnd: at('2026-03-03T16:00:00Z'),
    windowRequests: 4,
    opusCostMicros: 2_500_000,
    opusWeekStart: opusWeekStart(at('2026-03-03T15:00:00Z'), 1, 0, 8),
  });

  it('inside the window and the week: CRS’s figures as read', () => {
    const m = limitUsage(key, f, at('2026-03-03T15:30:00Z'), 8);
    expect(m).toEqual([
      { kind: 'total_cost', used: 12.345678, limit: 50, resetsAt: null, asOf: null },
      {
        kind: 'weekly_opus_cost',
        used: 2.5,
        limit: 20,
        resetsAt: '2026-03-08T16:00:00.000Z',
        asOf: '2026-03-03T15:00:00.000Z',
      },
      {
        kind: 'window_requests',
        used: 4,
        limit: 10,
        resetsAt: '2026-03-03T16:00:00.000Z',
        asOf: '2026-03-03T15:00:00.000Z',
      },
    ]);
  });

  it('past the window end and the weekly reset: 0, without a read', () => {
    const m = limitUsage(key, f, at('2026-03-08T16:00:00Z'), 8);
    expect(m.find((x) => x.kind === 'window_requests')).toMatchObject({ used: 0, resetsAt: null });
    expect(m.find((x) => x.kind === 'weekly_opus_cost')).toMatchObject({
      used: 0,
      resetsAt: '2026-03-15T16:00:00.000Z',
    });
  });

  it('a deleted key has no meters; an unlimited one none either', () => {
    expect(limitUsage({ ...key, status: 'deleted' }, f, at('2026-03-03T15:30:00Z'), 8)).toEqual([]);
    expect(limitUsage({ ...key, limits: limitsOf({}) }, f, at('2026-03-03T15:30:00Z'), 8)).toEqual([]);
  });
});

// Real CRS 1.1.314 answers (tests/contract/crs-samples).
const sample = (f: string) =>
  JSON.parse(readFileSync(new URL(`../contract/crs-samples/${f}`, import.meta.url), 'utf8')).response;

describe('parsing CRS’s answers', () => {
  it('user-stats by id: the limit figures; no open window', () => {
    const f = parseWith(userStatsSchema, 'test')(sample('apistats-user-stats-by-apiid.json'));
    expect(f).toEqual({
      windowStart: null,
      windowEnd: null,
      windowRequests: 0,
      windowTokens: 0,
      windowCost: 0,
      weeklyOpusCost: 2.41122325,
      weeklyResetDay: 1,
      weeklyResetHour: 0,
      dailyCost: 0.0733692,
      totalCost: 10.839114,
    });
  });

  it('user-stats: an open window as epoch ms', () => {
    const body = sample('apistats-user-stats-by-apiid.json');
    Object.assign(body.data.limits, { windowStartTime: 1_772_550_000_000, windowEndTime: 1_772_553_600_000 });
    const f = parseWith(userStatsSchema, 'test')(body);
    expect(f.windowStart).toBe(new Date(1_772_550_000_000).toISOString());
    expect(f.windowEnd).toBe(new Date(1_772_553_600_000).toISOString());
  });

  it('the hourly per-key trend: one entry per key and hour, named by the hour’s UTC instant', async () => {
    const out: Array<{ date: string; keyId: string; tokens: number }> = [];
    const reader = keysTrendReader((e) => out.push(...e), 5000, 'hour');
    await reader.write(JSON.stringify(sample('api-keys-usage-trend-hour.json')));
    await reader.end();
    expect(out[0]).toMatchObject({
      date: '2026-11-24T21:00:00.000Z',
      keyId: '55c801d6-4a2a-4639-8f44-aabe17489428',
      tokens: 12054,
      requests: 2,
      cost: 0.20438,
    });
    expect(out.every((e) => e.date.endsWith(':00:00.000Z'))).toBe(true);
  });
});
