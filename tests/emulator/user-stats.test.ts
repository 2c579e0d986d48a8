import { describe, expect, it } from 'vitest';
import { HOUR, harness } from './harness.js';

/*
 * POST /apiStats/api/user-stats by id (docs/crs.md §6): the per-key figures the portal's sync reads for the limit
 * meters. The same counters as batch-stats (quirk 7); the window only for a key with one, and zeros with no bounds
 * once it has ended; refusals as CRS words them.
 */
const OPUS = 'claude-opus-4-1-20250805';
const msg = (model = OPUS) => ({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] });
const stats = async (h: Awaited<ReturnType<typeof harness>>, body: unknown) =>
  h.call('POST', '/apiStats/api/user-stats', body, null);

describe('apiStats user-stats', () => {
  it('the window as CRS counts it: requests, tokens and cost until its end, then zeros', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'w', rateLimitWindow: 30, rateLimitRequests: 10, weeklyOpusCostLimit: 9 });
    for (let i = 0; i < 2; i++) expect((await h.relay(k.apiKey, msg())).status).toBe(200);
    const start = h.now();
    let l = (await stats(h, { apiId: k.id })).body.data.limits;
    expect(l).toMatchObject({
      currentWindowRequests: 2,
      windowStartTime: start,
      windowEndTime: start + 30 * 60_000,
      windowRemainingSeconds: 1800,
    });
    const batch = (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [k.id], timeRange: 'today' })).body
      .data[k.id];
    expect(l.currentWindowCost).toBe(batch.currentWindowCost);
    expect(l.weeklyOpusCost).toBe(batch.weeklyOpusCost);
    expect(l.currentWindowTokens).toBe(batch.currentWindowTokens);
    h.advance(30 * 60_000);
    l = (await stats(h, { apiId: k.id })).body.data.limits;
    expect(l).toMatchObject({ currentWindowRequests: 0, windowStartTime: null, windowEndTime: null });
  });

  it('today’s and this week’s cost as batch-stats counts them; both reset in CRS time', async () => {
    // Sunday 2026-11-29 23:30 in UTC+8; the default week resets Monday 00:00.
    const h = await harness({ start: '2026-11-29T15:30:00.000Z' });
    const k = await h.createKey({ name: 'plain', dailyCostLimit: 5, weeklyOpusCostLimit: 20 });
    expect((await h.relay(k.apiKey, msg())).status).toBe(200);
    let l = (await stats(h, { apiId: k.id })).body.data.limits;
    expect(l.currentDailyCost).toBeGreaterThan(0);
    expect(l.weeklyOpusCost).toBeCloseTo(l.currentDailyCost, 9);
    const batch = (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [k.id], timeRange: 'today' })).body
      .data[k.id];
    expect(batch).toMatchObject({ dailyCost: l.currentDailyCost, weeklyOpusCost: l.weeklyOpusCost });
    h.advance(HOUR); // Monday 00:30
    l = (await stats(h, { apiId: k.id })).body.data.limits;
    expect(l).toMatchObject({ currentDailyCost: 0, weeklyOpusCost: 0 });
    expect(l.currentTotalCost).toBeGreaterThan(0);
  });

  it('refuses like CRS: 400 without an id, 404 unknown or deleted, 403 disabled or expired', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'gone' });
    const d = await h.createKey({ name: 'off' });
    const e = await h.createKey({ name: 'old', expiresAt: new Date(h.now() + HOUR).toISOString() });
    await h.call('DELETE', `/admin/api-keys/${k.id}`);
    await h.call('PUT', `/admin/api-keys/${d.id}`, { isActive: false });
    h.advance(2 * HOUR);
    expect((await stats(h, {})).status).toBe(400);
    expect((await stats(h, { apiId: 'not-a-uuid' })).status).toBe(400);
    expect((await stats(h, { apiId: k.id })).status).toBe(404);
    expect((await stats(h, { apiId: d.id })).body).toMatchObject({ error: 'API key is disabled', keyName: 'off' });
    expect((await stats(h, { apiId: e.id })).body).toMatchObject({ error: 'API key has expired', keyName: 'old' });
    expect((await stats(h, { apiKey: d.apiKey })).status).toBe(401);
  });
});
