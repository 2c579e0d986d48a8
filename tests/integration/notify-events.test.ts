import { describe, expect, it } from 'vitest';
import { crsOperator } from '../helpers/crs-operator.js';
import { notifyWorld } from '../helpers/notify-world.js';

/**
 * Issue 14, events: each crossing is raised once per (key, limit, threshold, period) and each expiry step once per
 * (key, step), whoever detects it and however often; the operator's changes once each; the admins' conditions
 * once per start, with a cool-down against flapping. The sync is the real one, CRS the emulator.
 */
const w = await notifyWorld({ NOTIFY_COOLDOWN_MINUTES: '60' });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Payload = { key?: { id: string }; threshold?: number; limit?: string; step?: string };
const payload = (e: { payload: unknown }) => e.payload as Payload;
async function eventsOf(keyId: string, kind?: string) {
  return (await w.events()).filter((e) => payload(e).key?.id === keyId && (!kind || e.kind === kind));
}
const thresholds = async (keyId: string, limit: string) =>
  (await eventsOf(keyId, 'usage_threshold')).filter((e) => payload(e).limit === limit).map((e) => payload(e).threshold);

describe('usage thresholds', () => {
  it('raises each daily-cost threshold once per crossing, the highest one when several are crossed at once, and anew the next CRS day', async () => {
    const user = await w.user();
    const key = await w.key(user, { limits: { dailyCostLimit: 1 } });
    w.spend(key.crsKeyId, 0.3);
    await w.sync();
    expect(await thresholds(key.id, 'daily_cost')).toEqual([]);

    w.spend(key.crsKeyId, 0.25); // 0.55 of 1.00
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'daily_cost')).toEqual([50]);

    w.spend(key.crsKeyId, 0.42); // 0.97: 80 and 95 crossed together, one message about 95
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'daily_cost')).toEqual([50, 95]);

    w.spend(key.crsKeyId, 0.05); // 1.02
    await w.sync();
    expect(await thresholds(key.id, 'daily_cost')).toEqual([50, 95, 100]);

    w.advance(DAY);
    await w.sync();
    expect(await thresholds(key.id, 'daily_cost'), 'a new day starts at 0').toEqual([50, 95, 100]);
    w.spend(key.crsKeyId, 0.6);
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'daily_cost')).toEqual([50, 95, 100, 50]);
    const last = (await eventsOf(key.id, 'usage_threshold')).at(-1);
    expect(last?.payload).toMatchObject({ limit: 'daily_cost', threshold: 50, cap: 1_000_000 });
    expect(last?.userId).toBe(user.id);
  });

  it('raises the total cost once per threshold; a raised limit is a new period', async () => {
    const user = await w.user();
    const key = await w.key(user, { limits: { totalCostLimit: 2 } });
    w.spend(key.crsKeyId, 1.7); // 85 %
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'total_cost')).toEqual([80]);

    await crsOperator(w.emulator).edit(key.crsKeyId, { totalCostLimit: 3 }); // 57 % of the new limit
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'total_cost')).toEqual([80, 50]);
    expect(await eventsOf(key.id, 'key_limits_changed')).toHaveLength(1);
  });

  it('raises rate-window crossings from the limit meters, once per threshold within the window', async () => {
    const user = await w.user();
    const key = await w.key(user, { limits: { rateLimitWindow: 60, rateLimitCost: 1 } });
    // Relayed requests: only they count in CRS's rate window.
    const relay = (usd: number) =>
      w.emulator.store.relayUse(w.emulator.store.keys.get(key.crsKeyId)!, {
        inputTokens: Math.ceil(usd / 3e-6), // Sonnet input: $3 per million tokens
      });
    relay(0.6);
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'window_cost')).toEqual([50]);
    relay(0.3); // 0.90 of 1.00 in the same window
    await w.sync();
    await w.sync();
    expect(await thresholds(key.id, 'window_cost')).toEqual([50, 80]);
    const last = (await eventsOf(key.id, 'usage_threshold')).at(-1);
    expect(last?.payload).toMatchObject({ limit: 'window_cost', threshold: 80 });
  });

  it('raises each crossing once when two instances detect it at the same time', async () => {
    const b = await w.instance();
    const user = await w.user();
    const keys = await Promise.all(
      [1, 2, 3].map(() => w.key(user, { limits: { dailyCostLimit: 1, totalCostLimit: 5 } })),
    );
    for (const k of keys) w.spend(k.crsKeyId, 0.9);
    await w.sync();
    const before = (await w.events()).length;
    // Both instances run the detection again at once, several times: the marks let nothing through twice.
    await Promise.all(
      [1, 2, 3].flatMap(() => [w.t, b].map((app) => app.app.services.notifications.events.afterSync())),
    );
    expect((await w.events()).length).toBe(before);
    for (const k of keys) expect(await thresholds(k.id, 'daily_cost')).toEqual([80]);

    // Syncs asked for at once on both instances: one runs at a time (the lock); each that ran detects.
    for (const k of keys) w.spend(k.crsKeyId, 0.08);
    for (let i = 0; i < 3; i++) {
      const reports = await Promise.all([w.t.app.services.sync.runNow(), b.app.services.sync.runNow()]);
      expect(reports.some((r) => r?.ok)).toBe(true);
    }
    await w.sync(b);
    for (const k of keys) expect(await thresholds(k.id, 'daily_cost')).toEqual([80, 95]);
  });
});

describe('expiry', () => {
  it('raises 7 days, 1 day and expired once each, and again for a new expiry date', async () => {
    const user = await w.user();
    const expiresAt = new Date(w.now().getTime() + 6 * DAY).toISOString();
    const key = await w.key(user, { expiresAt });
    const steps = async () =>
      (await eventsOf(key.id)).filter((e) => e.kind.startsWith('key_exp')).map((e) => payload(e).step ?? e.kind);
    await w.sync();
    await w.sync();
    expect(await steps()).toEqual(['7d']);
    w.advance(5 * DAY + 12 * HOUR);
    await w.sync();
    await w.sync();
    expect(await steps()).toEqual(['7d', '1d']);
    w.advance(DAY);
    await w.sync();
    await w.sync();
    expect(await steps()).toEqual(['7d', '1d', 'key_expired']);

    // The owner gives it another week: reminders start over for the new date.
    const later = new Date(w.now().getTime() + 20 * HOUR).toISOString();
    await crsOperator(w.emulator).expire(key.crsKeyId, later);
    await w.sync();
    await w.sync();
    expect(await steps()).toEqual(['7d', '1d', 'key_expired', '1d']);
  });
});

describe('operator changes', () => {
  it('raises a disable and changed limits once each, from what the sync audited', async () => {
    const user = await w.user();
    const key = await w.key(user, { limits: { dailyCostLimit: 5 } });
    await w.sync();
    await crsOperator(w.emulator).edit(key.crsKeyId, { isActive: false, dailyCostLimit: 2, concurrencyLimit: 3 });
    await w.sync();
    await w.sync();
    const disabled = await eventsOf(key.id, 'key_disabled');
    const changed = await eventsOf(key.id, 'key_limits_changed');
    expect(disabled).toHaveLength(1);
    expect(changed).toHaveLength(1);
    expect(changed[0].payload).toMatchObject({
      changes: expect.arrayContaining([
        { limit: 'daily_cost', from: 5_000_000, to: 2_000_000 },
        { limit: 'concurrency', from: 0, to: 3 },
      ]),
    });
  });

  it('does not announce a key disabled again within the cool-down', async () => {
    const user = await w.user();
    const key = await w.key(user);
    const op = crsOperator(w.emulator);
    await w.sync();
    await op.edit(key.crsKeyId, { isActive: false });
    await w.sync();
    // The admin releases the operator's hold, the operator re-enables and disables again within minutes.
    await op.edit(key.crsKeyId, { isActive: true });
    await w.sync();
    await op.edit(key.crsKeyId, { isActive: false });
    await w.sync();
    expect(await eventsOf(key.id, 'key_disabled')).toHaveLength(1);
    w.advance(2 * HOUR);
    await op.edit(key.crsKeyId, { isActive: true });
    await w.sync();
    await op.edit(key.crsKeyId, { isActive: false });
    await w.sync();
    expect(await eventsOf(key.id, 'key_disabled')).toHaveLength(2);
  });
});

describe('admin conditions', () => {
  const adminEvents = async (kind: string) =>
    (await w.events()).filter((e) => e.kind === kind && e.audience === 'admin');

  it('raises "CRS unreachable" once when the sync fails twice in a row, again only after it cleared and the cool-down passed', async () => {
    const sync = () => w.t.app.services.sync.runNow();
    w.emulator.faults.down = true;
    try {
      expect((await sync())?.ok).toBe(false);
      expect(await adminEvents('crs_unreachable')).toHaveLength(0);
      await sync();
      await sync();
      expect(await adminEvents('crs_unreachable')).toHaveLength(1);
      w.emulator.faults.down = false;
      await new Promise((r) => setTimeout(r, 200)); // the test client's breaker lets a probe through
      expect((await sync())?.ok).toBe(true);
      w.emulator.faults.down = true;
      await sync();
      await sync();
      expect(await adminEvents('crs_unreachable'), 'back within the cool-down').toHaveLength(1);
      w.advance(2 * HOUR);
      await sync();
      expect(await adminEvents('crs_unreachable')).toHaveLength(2);
    } finally {
      w.emulator.faults.down = false;
      await new Promise((r) => setTimeout(r, 200));
      await sync();
    }
  });

  it('raises an alert condition when it starts firing, not while it keeps firing', async () => {
    const { events } = w.t.app.services.notifications;
    const hitRate = {
      name: 'cache_hit_rate_low' as const,
      message: 'cache hit rate of stats is 40 %',
      value: 0.4,
      threshold: 0.8,
      where: 'stats',
    };
    await events.afterAlerts([hitRate]);
    await events.afterAlerts([hitRate]);
    const raised = await adminEvents('alert');
    expect(raised).toHaveLength(1);
    expect(raised[0].payload).toEqual({
      kind: 'alert',
      alert: 'cache_hit_rate_low',
      value: 0.4,
      threshold: 0.8,
      where: 'stats',
    });
    await events.afterAlerts([]);
    w.advance(2 * HOUR);
    await events.afterAlerts([hitRate]);
    expect(await adminEvents('alert')).toHaveLength(2);
  });
});
