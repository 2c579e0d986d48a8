import { describe, expect, it } from 'vitest';
import { claimDue, completeDelivery } from '../../src/infra/db/repos/notify-claims.js';
import { notifyWorld } from '../helpers/notify-world.js';

/**
 * Issue 14, at least once across instances (docs/decisions/030): two instances delivering at once send every row
 * once; rows an instance claimed and never finished (it died) are sent by another once their lease ends, and the
 * dead one's late outcome is refused. A real webhook receiver on loopback, one PostgreSQL shared by both apps.
 */
const w = await notifyWorld();
const { addWebhook, crossing } = w;

describe('at least once, across instances', () => {
  it('two instances delivering at once send every row once', async () => {
    const b = await w.instance();
    const user = await w.user();
    await addWebhook(user, '/both', ['usage']);
    for (let i = 0; i < 8; i++) {
      const key = await w.key(user, { limits: { dailyCostLimit: 1, totalCostLimit: 1.2 } });
      w.spend(key.crsKeyId, 0.9);
    }
    await w.sync();
    const results = await Promise.all([w.deliver(), w.deliver(b), w.deliver(), w.deliver(b)]);
    const ids = w.hook.requests.filter((r) => r.path === '/both').map((r) => JSON.parse(r.body).id);
    expect(ids).toHaveLength(16);
    expect(new Set(ids).size).toBe(16);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(16);
  });

  it('an instance that died mid-delivery: another sends its rows once their lease ends; its late answer is refused', async () => {
    const b = await w.instance();
    const user = await w.user();
    await addWebhook(user, '/takeover', ['usage']);
    await crossing(user);
    await crossing(user);
    await w.sync();
    // What a crashed instance leaves: rows claimed (state `sending`, attempt counted) that it never finishes.
    const { db } = w.t.deps.database;
    const dead = await claimDue(db, 'dead-instance', w.now(), { limit: 100, leaseMs: 1500 });
    const mine = dead.filter((d) => d.userId === user.id && d.channelType === 'webhook');
    expect(mine).toHaveLength(2);

    await w.deliver(b);
    expect(
      w.hook.requests.filter((r) => r.path === '/takeover'),
      'not while the lease runs',
    ).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1600));
    await w.deliver(b);
    await w.deliver(b);
    const got = w.hook.requests.filter((r) => r.path === '/takeover').map((r) => JSON.parse(r.body).id);
    expect(got.sort()).toEqual(mine.map((d) => d.eventId).sort());
    expect(await completeDelivery(db, mine[0].id, 'dead-instance', { state: 'delivered' }, w.now())).toBe(false);
    const rows = (await w.deliveries()).filter((d) => mine.some((m) => m.id === d.id));
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['delivered', 2],
      ['delivered', 2],
    ]);
  });
});
