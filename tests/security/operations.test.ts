import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectError } from '../helpers/security-suite.js';

/*
 * Issue 10, point 15: `/metrics` behind the METRICS_TOKEN bearer when it is set; a public `/api/health` that says
 * only up/down per dependency, its details (reasons, latencies, alerts, version) for admins and that bearer.
 * (The bounds and causes of the checks themselves: tests/integration/health.test.ts.)
 */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const t = await createTestApp({ env: { METRICS_TOKEN } });
const health = (app: TestApp, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'GET', url: '/api/health', headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /api/health, public and detailed', () => {
  it('tells the public only up/down per dependency', async () => {
    const res = await health(t);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { db: 'up', redis: 'up', crs: 'up' } });
    const user = await createUser(t);
    expect(Object.keys((await health(t, authHeaders(user))).json())).toEqual(['status', 'checks']);
    expect(Object.keys((await health(t, bearer('not-the-metrics-token-at-all'))).json())).toEqual(['status', 'checks']);
  });

  it('gives reasons, latencies, alerts, mode and version to admins and to the METRICS_TOKEN bearer', async () => {
    const admin = await createUser(t, { role: 'admin' });
    for (const headers of [authHeaders(admin), bearer(METRICS_TOKEN)]) {
      const body = (await health(t, headers)).json();
      expect(body).toMatchObject({
        status: 'ok',
        checks: { db: 'up', redis: 'up', crs: 'up' },
        details: { db: { status: 'up' }, redis: { status: 'up' }, crs: { status: 'up' } },
        alerts: [],
        instance: { leader: false },
        mode: 'production',
        version: 'test',
      });
      expect(body.details.db.latencyMs).toEqual(expect.any(Number));
    }
  });
});

describe('GET /metrics', () => {
  it('needs the METRICS_TOKEN bearer when the token is set', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/metrics' }), 401, 'unauthorized');
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${METRICS_TOKEN}x`) });
    expectError(wrong, 401, 'unauthorized');
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    // A session, even an admin's, is not the scrape token.
    const admin = await createUser(t, { role: 'admin' });
    expectError(
      await t.app.inject({ method: 'GET', url: '/metrics', headers: authHeaders(admin) }),
      401,
      'unauthorized',
    );
    const ok = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('kp_leader 0');
  });

  it('is public without METRICS_TOKEN (documented choice: keep the port private)', async () => {
    const open = await createTestApp();
    const res = await open.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('kp_sync_runs_total');
  });
});
