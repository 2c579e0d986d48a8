import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { call, metric, waitUntil } from './support/http.js';
import { type LoadTarget, sleep, underLoad } from './support/load.js';
import { report } from './support/report.js';
import { FaultStack } from './support/stack.js';

/**
 * docs/product.md §5: Redis down, slow or flapping → every endpoint still answers correctly; Redis back → used again
 * without a restart. Two instances under load while Redis is killed (-9) and started again on its port.
 */
const stack = await FaultStack.start();
afterAll(() => stack.close());
const user = await stack.user();
const key = await stack.key(user);
await stack.synced(user);

const paths = ['/api/stats/usage', '/api/stats/leaderboard', '/api/keys', `/api/keys/${key.id}`, '/api/auth/me'];
const targets: LoadTarget[] = stack.portals.map((p) => ({ baseUrl: p.url, token: user.token, paths }));

describe('Redis killed under load', () => {
  it('fails no request while Redis is down, and both instances use Redis again once it is back', async () => {
    const redis = stack.redis!;
    const { load, value: reconnectMs } = await underLoad(targets, async () => {
      await sleep(1500);
      await redis.stop(); // SIGKILL
      await sleep(4000);
      await redis.start();
      // Still under load: how soon each instance has its connection back.
      const ms = await Promise.all(
        stack.portals.map((portal) =>
          waitUntil(`kp_redis_up 1 on ${portal.name}`, async () => {
            const up = await metric(portal.url, 'kp_redis_up');
            return { ok: up === 1, last: up };
          }),
        ),
      );
      await sleep(2000);
      return ms;
    });
    report('Redis kill -9 under load, 2 instances', `${load.total} requests, ${JSON.stringify(load.byStatus)}`);
    report('Redis restarted', `kp_redis_up 1 on every instance within ${Math.max(...reconnectMs)} ms`);
    expect(load.total).toBeGreaterThan(100);
    expect(load.byStatus, load.samples.join('\n')).toEqual({ 200: load.total });

    // The restarted Redis is empty: entries written now prove the shared tier is in use again. A range no one
    // read before is a miss in every tier, so each read writes one.
    const probe = new Redis(redis.url);
    try {
      let day = 1;
      for (const portal of stack.portals) {
        await waitUntil(`${portal.name} writes to the restarted Redis`, async () => {
          const before = await probe.dbsize();
          const to = `2021-01-${String(day++).padStart(2, '0')}`;
          const r = await call(portal.url, `/api/stats/usage?from=2021-01-01&to=${to}`, { token: user.token });
          const after = await probe.dbsize();
          return { ok: r.status === 200 && after > before, last: { status: r.status, before, after } };
        });
      }
    } finally {
      probe.disconnect();
    }
  });
});
