import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/infra/db/repos/settings.js';
import { PACE, paceSetting } from '../../src/jobs/sync/steps.js';
import { insightsWorld, MODELS, NOW } from '../helpers/insights-world.js';

/*
 * Issue 16: the hourly trend and the per-key model reads are paced (docs/decisions/037). Through CRS's admin API
 * at 100,000 keys one hourly trend costs CRS as much as the daily one, and each model read seconds: a step that
 * took T runs again only PACE × T after it started — skipped cycles are caught up by the next read — while a step
 * under a second, a full cycle and a first run always run.
 */
const w = await insightsWorld();
const db = w.t.deps.database.db;
const trendCalls = () => w.emulator.requestCount('GET /admin/api-keys-usage-trend');
const modelCalls = () => w.emulator.requestCount('GET /admin/api-keys/:id/model-stats');

/** As if both paced steps last started `agoMs` ago (wall clock) and took `ms`. */
async function lastRan(agoMs: number, ms: number) {
  for (const step of ['hourly', 'models']) {
    await writeSetting(db, paceSetting(step), JSON.stringify({ at: Date.now() - agoMs, ms }), new Date(NOW));
  }
}

async function cycle(full = false) {
  // New usage since the last read, so that the model step has a key due.
  await w.relay(w.keys[1], MODELS[0]);
  w.emulator.resetRequestCounts();
  const report = await w.t.app.services.sync.runNow({ full });
  expect(report?.ok, report?.error).toBe(true);
  return { trend: trendCalls(), models: modelCalls() };
}

describe('the sync’s paced steps', () => {
  it('skip the hourly trend and the model reads while PACE × their last duration has not passed', async () => {
    await lastRan(60_000, 30_000);
    // The daily trend only: no hourly call, no model read although a key was used.
    expect(await cycle()).toEqual({ trend: 1, models: 0 });
  });

  it('run them again once it has, and catch up what the skipped cycles left', async () => {
    await lastRan(PACE * 30_000 + 1000, 30_000);
    const calls = await cycle();
    expect(calls.trend).toBe(2);
    expect(calls.models).toBeGreaterThan(0);
    // The hour of both cycles' relayed requests (the clock stands still) holds both: the skipped one caught up.
    const res = await w.get('/api/stats/usage?granularity=hour&range=7d');
    const hour = res.json().series.find((h: { hour: string }) => h.hour === new Date(NOW).toISOString());
    expect(hour.requests).toBe(MODELS.length + 2);
  });

  it('always run a step that took under a second, and every step on a full cycle', async () => {
    await lastRan(0, 900);
    expect((await cycle()).trend).toBe(2);
    await lastRan(0, 30_000);
    // Every key due for its models again (the standing clock does not move their last use).
    await db.execute(sql`delete from key_crs_reads`);
    const full = await cycle(true);
    // The 31-day trend, and CRS's 7 days of hours 24 h at a time.
    expect(full.trend).toBe(1 + 7);
    expect(full.models).toBeGreaterThan(0);
  });
});
