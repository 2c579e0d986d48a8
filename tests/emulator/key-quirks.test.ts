import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Json } from '../contract/world.js';
import { DAY, harness } from './harness.js';

const UNKNOWN = '00000000-0000-0000-0000-000000000000';
const listed = async (h: Awaited<ReturnType<typeof harness>>, id: string) =>
  (await h.call('GET', '/admin/api-keys?pageSize=100')).body.data.items.find((k: Json) => k.id === id);

describe('key CRUD quirks (docs/crs.md §4, §10)', () => {
  it('returns the plaintext key once and keeps only its SHA-256', async () => {
    const h = await harness();
    const { id, apiKey } = await h.createKey({ name: 'k', isActive: false });
    expect(apiKey).toMatch(/^cr_[0-9a-f]{64}$/);
    const item = await listed(h, id);
    expect(item.apiKey).toBe(createHash('sha256').update(apiKey).digest('hex'));
    expect(item.isActive).toBe(true); // isActive is ignored on create
    expect(JSON.stringify((await h.call('GET', '/admin/api-keys')).body)).not.toContain(apiKey);
  });

  it('renders list items with CRS mixed types', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'k', concurrencyLimit: 3, permissions: ['claude'], tags: ['a'] });
    const item = await listed(h, id);
    expect(item).toMatchObject({
      concurrencyLimit: '3',
      isActivated: 'true',
      permissions: '["claude"]',
      weeklyOpusCostLimit: '0',
      tokenLimit: 0,
      tags: ['a'],
      usage: { total: { requests: 0, tokens: 0, cost: 0, formattedCost: '$0.00' } },
    });
  });

  it('re-enables a disabled key when a PUT sets a future expiresAt, unless isActive is in the same body', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'k' });
    await h.call('PUT', `/admin/api-keys/${id}`, { isActive: false });
    await h.call('PATCH', `/admin/api-keys/${id}/expiration`, { expiresAt: '2030-01-01T00:00:00Z' });
    expect((await listed(h, id)).isActive).toBe(false); // PATCH leaves isActive alone
    await h.call('PUT', `/admin/api-keys/${id}`, { expiresAt: '2030-01-01T00:00:00Z', isActive: false });
    expect((await listed(h, id)).isActive).toBe(false);
    await h.call('PUT', `/admin/api-keys/${id}`, { expiresAt: '2030-01-01T00:00:00Z' });
    expect((await listed(h, id)).isActive).toBe(true);
    await h.call('PUT', `/admin/api-keys/${id}`, { expiresAt: '2020-01-01T00:00:00Z' });
    expect((await listed(h, id)).isActive).toBe(false);
  });

  it('wants isActive as a JSON boolean and ignores description on PUT', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'k', description: 'first' });
    const bad = await h.call('PUT', `/admin/api-keys/${id}`, { isActive: 'false' });
    expect(bad).toEqual({ status: 400, body: { error: 'isActive must be a boolean' } });
    expect((await listed(h, id)).isActive).toBe(true);
    await h.call('PUT', `/admin/api-keys/${id}`, { description: 'second', name: 'renamed' });
    expect(await listed(h, id)).toMatchObject({ description: 'first', name: 'renamed' });
  });

  it('answers 500 for unknown ids on PUT and DELETE, 404 on PATCH expiration and permanent delete', async () => {
    const h = await harness();
    expect(await h.call('PUT', `/admin/api-keys/${UNKNOWN}`, { name: 'x' })).toEqual({
      status: 500,
      body: { error: 'Failed to update API key', message: 'API key not found' },
    });
    expect(await h.call('DELETE', `/admin/api-keys/${UNKNOWN}`)).toEqual({
      status: 500,
      body: { error: 'Failed to delete API key', message: 'API key not found' },
    });
    expect((await h.call('PATCH', `/admin/api-keys/${UNKNOWN}/expiration`, { expiresAt: '' })).status).toBe(404);
    expect((await h.call('DELETE', `/admin/api-keys/${UNKNOWN}/permanent`)).status).toBe(404);
    expect((await h.call('GET', `/admin/api-keys/${UNKNOWN}/model-stats`)).body).toEqual({ success: true, data: [] });
  });

  it('soft-deletes (repeatable), restores, and hard-deletes only after a soft delete', async () => {
    const h = await harness();
    const { id, apiKey } = await h.createKey({ name: 'gone', tags: ['trial'] });
    h.emu.store.recordUsage(id, { inputTokens: 10, outputTokens: 10 });
    expect((await h.call('DELETE', `/admin/api-keys/${id}/permanent`)).status).toBe(400);
    expect((await h.call('DELETE', `/admin/api-keys/${id}`)).status).toBe(200);
    expect((await h.call('DELETE', `/admin/api-keys/${id}`)).status).toBe(200);
    expect(await listed(h, id)).toBeUndefined();
    expect((await h.relay(apiKey, { messages: [] })).status).toBe(401);
    const list = (await h.call('GET', '/admin/api-keys')).body.data;
    expect(list.availableTags).toContain('trial');
    const stats = (await h.call('GET', '/admin/usage-stats')).body.data.stats;
    expect(stats.find((s: Json) => s.keyId === id)).toBeUndefined();
    const dash = (await h.call('GET', '/admin/dashboard')).body.data.overview;
    expect(dash).toMatchObject({ totalApiKeys: 1, activeApiKeys: 0, totalRequestsUsed: 1 });
    const deleted = (await h.call('GET', '/admin/api-keys/deleted')).body;
    expect(deleted.apiKeys[0]).toMatchObject({ id, isDeleted: true, canRestore: true });
    expect(deleted.apiKeys[0].usage.total.requests).toBe(1);

    const restored = await h.call('POST', `/admin/api-keys/${id}/restore`, {});
    expect(restored.body.apiKey).toMatchObject({ id, isActive: 'true', restoredBy: 'unknown' });
    expect((await h.relay(apiKey, { messages: [] })).status).toBe(200);
    await h.call('DELETE', `/admin/api-keys/${id}`);
    expect(await h.call('DELETE', `/admin/api-keys/${id}/permanent`)).toEqual({
      status: 200,
      body: { success: true, message: 'API Key 已彻底删除' },
    });
    expect((await h.call('GET', '/admin/api-keys/deleted')).body.total).toBe(0);
    expect((await h.call('GET', `/admin/api-keys/${id}/usage-records`)).status).toBe(404);
    // Global aggregates keep the usage of a hard-deleted key.
    expect((await h.call('GET', '/admin/dashboard')).body.data.overview.totalRequestsUsed).toBe(2);
  });

  it('paginates with the allowed page sizes only, clamps the page, filters by tag, search and isActive', async () => {
    const h = await harness();
    for (let i = 0; i < 25; i++)
      await h.createKey({ name: `key-${String(i).padStart(2, '0')}`, tags: i % 5 ? [] : ['user:u_1'] });
    const { id } = await h.createKey({ name: 'special-one' });
    await h.call('PUT', `/admin/api-keys/${id}`, { isActive: false });
    const q = async (qs: string) => (await h.call('GET', `/admin/api-keys?${qs}`)).body.data;
    expect((await q('pageSize=200')).pagination).toEqual({ page: 1, pageSize: 20, total: 26, totalPages: 2 });
    expect((await q('pageSize=10&page=99')).pagination.page).toBe(3);
    expect((await q('pageSize=10&page=99')).items).toHaveLength(6);
    expect((await q(`tag=${encodeURIComponent('user:u_1')}`)).pagination.total).toBe(5);
    expect((await q('search=SPECIAL')).items.map((k: Json) => k.name)).toEqual(['special-one']);
    expect((await q('isActive=false')).items.map((k: Json) => k.id)).toEqual([id]);
    const sorted = await q('sortBy=name&sortOrder=asc&pageSize=50');
    expect(sorted.items[0].name).toBe('key-00');
    expect(sorted.items[25].name).toBe('special-one');
  });

  it('validates creation with CRS wording', async () => {
    const h = await harness();
    const err = async (body: unknown) => (await h.call('POST', '/admin/api-keys', body)).body;
    expect(await err({})).toEqual({ error: 'Name is required and must be a non-empty string' });
    expect(await err({ name: 'x', tags: 'a' })).toEqual({ error: 'Tags must be an array' });
    expect(await err({ name: 'x', permissions: ['anthropic'] })).toEqual({
      error: 'Invalid permission value "anthropic". Valid values are: claude, gemini, openai, droid',
    });
    expect(h.emu.store.keyCount()).toBe(0);
  });
});

describe('relay authentication and restrictions', () => {
  it('refuses unknown, disabled, deleted and expired keys with 401', async () => {
    const h = await harness();
    const msg = { messages: [{ role: 'user', content: 'hi' }] };
    expect((await h.relay(`cr_${'0'.repeat(64)}`, msg)).status).toBe(401);
    const disabled = await h.createKey({ name: 'd' });
    await h.call('PUT', `/admin/api-keys/${disabled.id}`, { isActive: false });
    expect((await h.relay(disabled.apiKey, msg)).body).toEqual({
      error: 'Invalid API key',
      message: 'API key is disabled',
    });
    const expiring = await h.createKey({ name: 'e', expiresAt: new Date(h.now() + DAY).toISOString() });
    expect((await h.relay(expiring.apiKey, msg)).status).toBe(200);
    h.advance(2 * DAY);
    expect((await h.relay(expiring.apiKey, msg)).body.message).toBe('API key has expired');
    expect(h.emu.store.usage.keys.get(disabled.id)).toBeUndefined();
  });

  it('treats restrictedModels as a blacklist when enabled', async () => {
    const h = await harness();
    const k = await h.createKey({
      name: 'r',
      enableModelRestriction: true,
      restrictedModels: ['claude-opus-4-1-20250805'],
    });
    const msg = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect((await h.relay(k.apiKey, msg('claude-opus-4-1-20250805'))).status).toBe(403);
    expect((await h.relay(k.apiKey, msg('claude-sonnet-4-20250514'))).status).toBe(200);
    expect(h.emu.store.usage.keys.get(k.id)?.tot[0]).toBe(1);
  });

  it('starts the clock of an activation-mode key at its first use', async () => {
    const h = await harness();
    const k = await h.createKey({
      name: 'a',
      expirationMode: 'activation',
      activationDays: 30,
      activationUnit: 'days',
    });
    expect(await listed(h, k.id)).toMatchObject({ isActivated: 'false', expiresAt: '' });
    await h.relay(k.apiKey, { messages: [{ role: 'user', content: 'hi' }] });
    expect(await listed(h, k.id)).toMatchObject({
      isActivated: 'true',
      activatedAt: new Date(h.now()).toISOString(),
      expiresAt: new Date(h.now() + 30 * DAY).toISOString(),
    });
  });
});
