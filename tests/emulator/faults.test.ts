import { describe, expect, it } from 'vitest';
import type { Json } from '../contract/world.js';
import { DAY, HOUR, harness } from './harness.js';

describe('fault injection, sessions and request counts', () => {
  it('down: connections are destroyed; back up: answers again', async () => {
    const h = await harness();
    h.emu.faults.down = true;
    await expect(fetch(`${h.emu.url}/health`)).rejects.toThrow();
    h.emu.faults.down = false;
    expect((await fetch(`${h.emu.url}/health`)).status).toBe(200);
  });

  it('status: every admin call answers with it, the relay and health do not', async () => {
    const h = await harness();
    const { apiKey } = await h.createKey({ name: 'k' });
    h.emu.faults.status = 503;
    expect((await h.call('GET', '/admin/api-keys')).status).toBe(503);
    expect((await h.call('POST', '/web/auth/login', { username: 'admin', password: 'admin' }, null)).status).toBe(503);
    expect((await h.relay(apiKey, { messages: [] })).status).toBe(200);
    h.emu.faults.status = undefined;
    h.emu.faults.extraDelayMs = 5;
    expect((await h.call('GET', '/admin/api-keys')).status).toBe(200);
  });

  it('expireAdminSessions invalidates every token', async () => {
    const h = await harness();
    h.emu.expireAdminSessions();
    expect(await h.call('GET', '/admin/dashboard')).toEqual({
      status: 401,
      body: { error: 'Invalid admin token', message: 'Invalid or expired admin session' },
    });
    await h.login();
    expect((await h.call('GET', '/admin/dashboard')).status).toBe(200);
  });

  it('admin sessions expire after 24 h idle, sliding with each request', async () => {
    const h = await harness();
    h.advance(23 * HOUR);
    expect((await h.call('GET', '/web/auth/user')).status).toBe(200);
    h.advance(23 * HOUR);
    expect((await h.call('GET', '/web/auth/user')).status).toBe(200);
    h.advance(DAY);
    expect((await h.call('GET', '/web/auth/user')).status).toBe(401);
    expect((await h.call('GET', '/admin/api-keys', undefined, null)).body.error).toBe('Missing admin token');
  });

  it('counts requests per route label', async () => {
    const h = await harness();
    h.emu.resetRequestCounts();
    await h.call('GET', '/admin/usage-stats');
    await h.call('GET', '/admin/usage-stats');
    await h.call('PUT', '/admin/api-keys/whatever', { name: 'x' });
    await h.call('GET', '/nope');
    expect(h.emu.requestCount('GET /admin/usage-stats')).toBe(2);
    expect(h.emu.requestCount('PUT /admin/api-keys/:id')).toBe(1);
    expect(h.emu.requestCount('POST /admin/api-keys/batch-stats')).toBe(0);
    expect(h.emu.requestCount()).toBe(4);
  });
});

describe('traffic generator', () => {
  it('records usage through the relay path on usable keys only', async () => {
    const h = await harness({ trafficRpm: 6000, clock: Date.now });
    const live = await h.createKey({ name: 'live' });
    const off = await h.createKey({ name: 'off' });
    await h.call('PUT', `/admin/api-keys/${off.id}`, { isActive: false });
    await new Promise((r) => setTimeout(r, 1300));
    const stats = (await h.call('GET', '/admin/usage-stats')).body.data.stats;
    const by = (id: string) => stats.find((s: Json) => s.keyId === id).usage.total.requests;
    expect(by(live.id)).toBeGreaterThanOrEqual(100);
    expect(by(off.id)).toBe(0);
    const list = (await h.call('GET', '/admin/api-keys')).body.data.items;
    expect(list.find((k: Json) => k.id === live.id).lastUsedAt).not.toBe('');
  });
});
