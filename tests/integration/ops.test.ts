import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectBadRequest, expectError } from '../helpers/security-suite.js';

const t = await createTestApp();

describe('operations endpoints and HTTP conventions', () => {
  it('health reports each dependency', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { db: 'up', redis: 'up', crs: 'up' } });
  });

  it('health is degraded (not failing) when CRS is down', async () => {
    const second = await createTestApp({ emulator: t.emulator });
    t.emulator.faults.down = true;
    try {
      const res = await second.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'degraded', checks: { crs: 'down' } });
    } finally {
      t.emulator.faults.down = false;
    }
  });

  it('meta tells a signed-out browser the registration policy and the key caps', async () => {
    const other = await createTestApp({ env: { REGISTRATION: 'invite', KEY_MAX_DAILY_COST: '25' } });
    const res = await other.app.inject({ method: 'GET', url: '/api/meta' });
    expect(res.json()).toMatchObject({
      mode: 'production',
      registration: 'invite',
      defaultMaxKeys: 10,
      keyLimitCaps: { dailyCostLimit: 25, tokenLimit: 0 },
      timezone: 'UTC+8',
    });
  });

  it('metrics expose the product counters in Prometheus text', async () => {
    const user = await createUser(t);
    await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) });
    await t.app.services.sync.runNow();
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'kp_http_request_duration_seconds_bucket{',
      'kp_cache_hits_total{namespace="auth"}',
      'kp_cache_misses_total{namespace="keys"}',
      'kp_cache_stale_total{namespace="stats"}',
      'kp_crs_requests_total{endpoint="GET /admin/usage-stats",status="200"}',
      'kp_crs_request_duration_seconds_bucket{',
      'kp_sync_runs_total{outcome="ok"}',
      'kp_redis_up 1',
    ]) {
      expect(res.body).toContain(name);
    }
    expect(res.body).not.toMatch(/cr_[0-9a-f]{8}/);
  });

  it('serves the OpenAPI document and its page', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.json().openapi).toBe('3.1.0');
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining(['/api/keys', '/api/stats/usage', '/api/auth/login']),
    );
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBeLessThan(400);
  });

  it('every answer has a request id and security headers; errors use the envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': 'trace-123' } });
    expectError(res, 404, 'not_found');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.json().error.requestId).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    const odd = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('malformed JSON → 400, huge bodies → 413, never a 500', async () => {
    const user = await createUser(t);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { ...authHeaders(user), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expectBadRequest(bad, 'body');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: authHeaders(user),
      payload: { name: 'x', description: 'y'.repeat(200_000) },
    });
    expectError(huge, 413, 'payload_too_large');
    const sql = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: authHeaders(user),
      payload: { name: "'); drop table api_keys; --<script>" },
    });
    expect(sql.statusCode).toBe(201);
    expect(sql.json().key.name).toBe("'); drop table api_keys; --<script>");
  });
});
