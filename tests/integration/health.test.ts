import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../support/free-port.js';

/*
 * Issue 11 point 2 and issue 10 point 15: liveness apart from readiness, every dependency check bounded and
 * cached, the CRS check authenticated, details only for admins and the METRICS_TOKEN bearer.
 */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const health = (app: TestApp, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'GET', url: '/api/health', headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /api/health', () => {
  it('reports CRS down with "credentials rejected" when CRS refuses the admin password', async () => {
    const wrong = await createTestApp({ env: { METRICS_TOKEN, CRS_ADMIN_PASSWORD: 'not-the-password' } });
    const body = (await health(wrong, bearer(METRICS_TOKEN))).json();
    expect(body).toMatchObject({ status: 'degraded', checks: { crs: 'down' } });
    expect(body.details.crs.reason).toBe('credentials rejected');
  });

  it('answers within its bound with crs down while CRS hangs, and does not ask CRS again at once', async () => {
    // CRS hangs far longer than the test's own timeout, and the portal's CRS timeout would not save it either:
    // only the health check's bound lets this request answer.
    const hung = await createTestApp({ env: { METRICS_TOKEN, CRS_TIMEOUT_MS: '300000' } });
    hung.emulator.faults.extraDelayMs = 600_000;
    try {
      const first = await health(hung, bearer(METRICS_TOKEN));
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ status: 'degraded', checks: { db: 'up', crs: 'down' } });
      expect(first.json().details.crs.reason).toBe('no answer within 1000 ms');
      const second = await health(hung);
      expect(second.json().checks.crs).toBe('down');
      // One login attempt reached CRS for both requests: the check is cached, probes do not pile up on CRS.
      expect(hung.emulator.requestCount('POST /web/auth/login')).toBe(1);
    } finally {
      hung.emulator.faults.extraDelayMs = 0;
    }
  });

  it('answers 503 with db down within its bound when the database does not answer', async () => {
    const other = await createTestApp({ env: { METRICS_TOKEN } });
    // Every connection of the app's pool (5) busy: a ping would queue behind them for seconds.
    const sleepers = Array.from({ length: 5 }, () =>
      other.deps.database.db.execute('select pg_sleep(60)' as never).catch(() => undefined),
    );
    const admin = new pg.Client({ connectionString: other.databaseUrl });
    await admin.connect();
    try {
      await expect
        .poll(
          async () =>
            (
              await admin.query(
                "select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'",
              )
            ).rows[0].n,
        )
        .toBe(5);
      const res = await health(other, bearer(METRICS_TOKEN));
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', checks: { db: 'down' } });
      expect(res.json().details.db.reason).toBe('no answer within 1000 ms');
      const ready = await other.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unready' });
      // Liveness never depends on the database.
      expect((await other.app.inject({ method: 'GET', url: '/livez' })).json()).toEqual({ status: 'ok' });
    } finally {
      await admin.query("select pg_cancel_backend(pid) from pg_stat_activity where query like 'select pg_sleep%'");
      await admin.end();
      await Promise.all(sleepers);
    }
  });
});

describe('GET /livez and GET /readyz', () => {
  it('are ready with CRS and Redis down: stale stats can still be served', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const app = await createTestApp({ redis: deadRedis });
    app.emulator.faults.down = true;
    try {
      expect((await app.app.inject({ method: 'GET', url: '/livez' })).json()).toEqual({ status: 'ok' });
      const ready = await app.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
      expect((await health(app)).json()).toEqual({
        status: 'degraded',
        checks: { db: 'up', redis: 'down', crs: 'down' },
      });
    } finally {
      app.emulator.faults.down = false;
    }
  });
});
