import { afterAll, describe, expect, it } from 'vitest';
import { type Answer, call, waitUntil } from './support/http.js';
import { type LoadTarget, sleep, underLoad } from './support/load.js';
import { report } from './support/report.js';
import { FaultStack } from './support/stack.js';

/**
 * docs/product.md §5: CRS down → stats served from the portal's database marked stale, key writes 503
 * `upstream_unavailable` with a clear message, nothing half-written; CRS back → recovery without a restart.
 * CRS is stopped for real (connections refused) and started again on its port with its saved state.
 */
const stack = await FaultStack.start();
afterAll(() => stack.close());
const user = await stack.user();
await stack.key(user);
await stack.synced(user);

/** The least the outage lasts: long enough for several sync intervals to fail. */
const OUTAGE_MS = 12_000;
const paths = ['/api/stats/usage', '/api/stats/leaderboard', '/api/keys', '/api/auth/me'];
const targets: LoadTarget[] = stack.portals.map((p) => ({ baseUrl: p.url, token: user.token, paths }));
const usage = (url: string) => call(url, '/api/stats/usage', { token: user.token });
const create = (url: string) =>
  call(url, '/api/keys', { method: 'POST', token: user.token, body: { name: 'while-crs-is-down' } });

describe('CRS stopped, then back', () => {
  it('serves stats marked stale, refuses key writes with 503 in the envelope, and recovers by itself', async () => {
    const refused: Answer[] = [];
    const { load, value } = await underLoad(targets, async () => {
      const stoppedAt = Date.now();
      await stack.crs.stop();
      for (const portal of stack.portals) {
        await waitUntil(`${portal.name} marks stats stale`, async () => {
          const r = await usage(portal.url);
          return { ok: r.status === 200 && r.json.stale === true, last: { status: r.status, stale: r.json?.stale } };
        });
        refused.push(await create(portal.url));
      }
      const staleMs = Date.now() - stoppedAt;
      await sleep(Math.max(0, OUTAGE_MS - staleMs)); // reads go on meanwhile
      await stack.crs.start();
      const backAt = Date.now();
      for (const portal of stack.portals) {
        await waitUntil(
          `${portal.name} fresh again after a sync`,
          async () => {
            const r = await usage(portal.url);
            return { ok: r.status === 200 && r.json.stale === false, last: { status: r.status, stale: r.json?.stale } };
          },
          { timeoutMs: 60_000 },
        );
      }
      const freshMs = Date.now() - backAt;
      return { staleMs, freshMs, outageMs: backAt - stoppedAt };
    });
    report('CRS stopped, 2 instances under load', `${load.total} reads, ${JSON.stringify(load.byStatus)}`);
    report('CRS stopped', `stale on both within ${value.staleMs} ms, outage ${value.outageMs} ms`);
    report('CRS back', `fresh on both ${value.freshMs} ms after the restart`);
    expect(load.total).toBeGreaterThan(50);
    expect(load.byStatus, load.samples.join('\n')).toEqual({ 200: load.total });
    for (const r of refused) {
      expect(r.status, r.text).toBe(503);
      expect(r.json.error).toMatchObject({ code: 'upstream_unavailable', requestId: expect.any(String) });
      expect(r.json.error.message).toMatch(/\w+/);
    }

    // Writes work again without a restart (the circuit breaker half-opens on its own).
    for (const portal of stack.portals) {
      const ms = await waitUntil(
        `${portal.name} creates keys again`,
        async () => (await create(portal.url)).status === 201,
        // Spaced out: each try is a key write, and key writes may be rate-limited per user.
        { timeoutMs: 60_000, intervalMs: 2000 },
      );
      report(`CRS back: ${portal.name} key writes`, `201 after ${ms} ms more`);
    }
    // Nothing half-written: the refused creates left no key behind, in the portal or in CRS.
    const keys = await call(stack.a.url, '/api/keys?status=all&pageSize=100', { token: user.token });
    expect(keys.json.total).toBe(1 + stack.portals.length);
    const live = [...stack.crs.store.keys.keys.values()].filter((k) => !k.isDeleted);
    expect(live).toHaveLength(1 + stack.portals.length);
  });
});
