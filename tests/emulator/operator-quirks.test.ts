import { describe, expect, it } from 'vitest';
import type { Json } from '../contract/world.js';
import { harness } from './harness.js';

/** The CRS behaviour of docs/crs.md quirks 14–17, as the emulator models it (verified on CRS 1.1.314). */
const msg = (maxTokens: number) => ({ max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] });

describe('operator edits (quirks 14, 15)', () => {
  it('PUT tags replaces the whole list: the key leaves a tag-filtered list, stays live and keeps counting', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'portal-key', tags: ['portal', 'portal-user:u1'] });
    await h.call('PUT', `/admin/api-keys/${k.id}`, { tags: ['vip'] });
    const byTag = (await h.call('GET', '/admin/api-keys?tag=portal')).body.data;
    expect(byTag.pagination.total).toBe(0);
    expect((await h.relay(k.apiKey, msg(10))).status).toBe(200);
    const stats = (await h.call('GET', '/admin/usage-stats')).body.data.stats;
    expect(stats.find((s: Json) => s.keyId === k.id).usage.total.requests).toBe(1);
    const found = (await h.call('GET', '/admin/api-keys?search=portal-key')).body.data.items;
    expect(found.map((i: Json) => [i.id, i.tags])).toEqual([[k.id, ['vip']]]);
  });

  it('name, limits and models change through the admin PUT; the description does not', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'a', description: 'd [kp:x]', tokenLimit: 5 });
    await h.call('PUT', `/admin/api-keys/${k.id}`, {
      name: 'b',
      description: 'other',
      tokenLimit: 777,
      rateLimitCost: 2,
      weeklyOpusCostLimit: 9,
      enableModelRestriction: true,
      restrictedModels: ['claude-opus-4-1-20250805'],
    });
    const item = (await h.call('GET', '/admin/api-keys')).body.data.items[0];
    expect(item).toMatchObject({
      name: 'b',
      description: 'd [kp:x]',
      tokenLimit: 777,
      rateLimitCost: 2,
      weeklyOpusCostLimit: '9',
      restrictedModels: ['claude-opus-4-1-20250805'],
    });
  });

  it('deleted keys leave usage-stats and show in the deleted list; a hard-deleted key is nowhere', async () => {
    const h = await harness();
    const soft = await h.createKey({ name: 'soft' });
    const hard = await h.createKey({ name: 'hard' });
    await h.call('DELETE', `/admin/api-keys/${soft.id}`);
    await h.call('DELETE', `/admin/api-keys/${hard.id}`);
    await h.call('DELETE', `/admin/api-keys/${hard.id}/permanent`);
    const ids = (await h.call('GET', '/admin/usage-stats')).body.data.stats.map((s: Json) => s.keyId);
    expect(ids).toEqual([]);
    const deleted = (await h.call('GET', '/admin/api-keys/deleted')).body;
    expect(deleted.apiKeys.map((k: Json) => k.id)).toEqual([soft.id]);
    expect(deleted.total).toBe(1);
  });
});

describe('token limits count only inside a rate window (quirk 16)', () => {
  it('without a window a token limit lets every request through', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'bare', tokenLimit: 300 });
    for (let i = 0; i < 4; i++) expect((await h.relay(k.apiKey, msg(192))).status).toBe(200);
  });

  it('with a window the request past the limit gets 429, and a new window lets requests through again', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'windowed', tokenLimit: 300, rateLimitWindow: 60 });
    expect((await h.relay(k.apiKey, msg(192))).status).toBe(200);
    expect((await h.relay(k.apiKey, msg(192))).status).toBe(200);
    expect((await h.relay(k.apiKey, msg(192))).status).toBe(429);
    h.advance(61 * 60_000);
    expect((await h.relay(k.apiKey, msg(192))).status).toBe(200);
  });

  it('requests per window are enforced the same way', async () => {
    const h = await harness();
    const k = await h.createKey({ name: 'rpm', rateLimitRequests: 2, rateLimitWindow: 1 });
    expect((await h.relay(k.apiKey, msg(1))).status).toBe(200);
    expect((await h.relay(k.apiKey, msg(1))).status).toBe(200);
    expect((await h.relay(k.apiKey, msg(1))).status).toBe(429);
  });
});

describe('a hung CRS (quirk 17)', () => {
  it('holds requests while paused and processes them on resume, even after their clients gave up', async () => {
    const h = await harness();
    h.emu.pause();
    const gaveUp = await fetch(`${h.emu.url}/admin/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
      body: JSON.stringify({ name: 'late' }),
      signal: AbortSignal.timeout(200),
    }).catch((e: Error) => e.name);
    expect(gaveUp).toBe('TimeoutError');
    expect(h.emu.store.keyCount()).toBe(0);
    const waiting = h.call('GET', '/admin/api-keys');
    h.emu.resume();
    expect((await waiting).body.data.items.map((k: Json) => k.name)).toEqual(['late']);
    expect(h.emu.store.keyCount()).toBe(1);
  });
});
