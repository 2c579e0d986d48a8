import { describe, expect, it } from 'vitest';
import { capturedLogs, createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/** Points 10 and 12 of issue 9: the overview's token figures agree; a timezone mismatch is noticed. */
const { lines, logStream } = capturedLogs();
const t = await createTestApp();
const mismatched = await createTestApp({ env: { CRS_TIMEZONE_OFFSET: '0' }, logStream });
const matched = await createTestApp({ env: { CRS_TIMEZONE_OFFSET: '8' } });

describe('admin overview token figures', () => {
  it('tokens today include cache tokens like every other figure; CRS’s input+output figure is kept apart', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const key = await createKey(t, admin);
    t.emulator.store.recordUsage(key.crsKeyId, {
      inputTokens: 100,
      outputTokens: 20,
      cacheCreateTokens: 300,
      cacheReadTokens: 4000,
    });
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/overview', headers: authHeaders(admin) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().crs).toMatchObject({
      tokensToday: 4420,
      ioTokensToday: 120,
      inputTokensToday: 100,
      outputTokensToday: 20,
      cacheCreateTokensToday: 300,
      cacheReadTokensToday: 4000,
      totalTokens: 4420,
    });
  });
});

describe('CRS timezone check', () => {
  /** Alerts are among the details health gives an admin only. */
  const health = async (app: typeof t) => {
    const admin = await createUser(app, { role: 'admin' });
    return app.app.inject({ method: 'GET', url: '/api/health', headers: authHeaders(admin) });
  };

  it('a CRS_TIMEZONE_OFFSET that differs from what CRS reports raises an alert: health degraded, gauge, log', async () => {
    const t = mismatched;
    expect((await health(t)).json().alerts).toEqual([]);
    expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });

    expect((await health(t)).json()).toMatchObject({
      status: 'degraded',
      alerts: [{ name: 'crs_timezone_mismatch', message: expect.stringContaining('UTC+8') }],
    });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/kp_alert_active\{alert="crs_timezone_mismatch"\} 1/);
    expect(lines.some((l) => l.includes('"level":40') && l.includes('crs_timezone_mismatch'))).toBe(true);
  });

  it('no alert when they agree', async () => {
    const t = matched;
    expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });
    expect((await health(t)).json().alerts).toEqual([]);
  });
});
