import { afterAll, describe, expect, it } from 'vitest';
import { call, waitUntil } from './support/http.js';
import { type LoadTarget, sleep, underLoad } from './support/load.js';
import { report } from './support/report.js';
import { FaultStack } from './support/stack.js';

/**
 * docs/product.md §5: PostgreSQL restart → requests fail fast with 503 during the gap and recover by themselves:
 * no 500, no request left hanging. Warm reads and reads that need the database, on two instances, while
 * PostgreSQL stops (fast shutdown: connections cut) and starts again on its port.
 */
const stack = await FaultStack.start();
afterAll(() => stack.close());
const user = await stack.user();
const key = await stack.key(user);
await stack.synced(user);

/** A request unanswered after this counts as hung (the pool's connect timeout is 3 s). */
const HUNG_MS = 8000;
const GAP_MS = 4000;
// `/api/keys/:id` is read from the database on a cache miss; the others are mostly cached.
const paths = ['/api/stats/usage', '/api/keys', `/api/keys/${key.id}`, '/api/auth/me', '/api/stats/leaderboard'];
const targets: LoadTarget[] = stack.portals.map((p) => ({ baseUrl: p.url, token: user.token, paths }));

describe('PostgreSQL restarted under load', () => {
  it('answers only 200 or a fast 503 in the envelope during the gap, then recovers without a restart', async () => {
    const { load, value } = await underLoad(
      targets,
      async () => {
        await sleep(1500);
        await stack.pg.pause();
        await sleep(GAP_MS);
        await stack.pg.resume();
        const back = Date.now();
        await Promise.all(
          stack.portals.map((portal) =>
            waitUntil(`${portal.name} reads from the database again`, async () => {
              const r = await call(portal.url, '/api/keys?status=all&pageSize=5', { token: user.token });
              return { ok: r.status === 200, last: r.status };
            }),
          ),
        );
        const recoveredMs = Date.now() - back;
        await sleep(1500);
        return { recoveredMs };
      },
      { timeoutMs: HUNG_MS },
    );
    const failed = load.byStatus[503] ?? 0;
    report(
      'PostgreSQL restart under load, 2 instances',
      `${load.total} requests, ${JSON.stringify(load.byStatus)} (${((100 * failed) / load.total).toFixed(2)} % 503)`,
    );
    report('PostgreSQL back', `reads from the database again ${value.recoveredMs} ms after the restart`);
    expect(load.total).toBeGreaterThan(100);
    const other = Object.keys(load.byStatus).filter((s) => s !== '200' && s !== '503');
    expect(other, load.samples.join('\n')).toEqual([]);
    expect(Object.keys(load.errorCodes).filter((c) => c !== 'upstream_unavailable')).toEqual([]);

    // Recovered means recovered: no 503 any more, on either instance.
    const { load: after } = await underLoad(targets, () => sleep(2000), { timeoutMs: HUNG_MS });
    expect(after.byStatus, after.samples.join('\n')).toEqual({ 200: after.total });
    // Writes work again too.
    for (const portal of stack.portals) {
      const created = await call(portal.url, '/api/keys', {
        method: 'POST',
        token: user.token,
        body: { name: 'after' },
      });
      expect(created.status, created.text).toBe(201);
    }
  });
});
