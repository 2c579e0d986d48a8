import { describe, expect, it } from 'vitest';
import { SONNET } from '../../src/crs-emulator/index.js';
import { crsRedisWorld, NOW } from './crs-redis-world.js';
import { ALICE } from './world.js';

/*
 * The emulator's Redis mode against docs/crs.md §9: the request records (capped, newest first), a seeded
 * history through the same layout, the `apikey:*` hashes and indexes through a key's life, and an HTTP answer
 * that never precedes its writes.
 */
const w = crsRedisWorld();

describe('the emulator writes CRS’s Redis layout: records and keys (docs/crs.md §9)', () => {
  it('keeps the newest 200 request records, newest first', async () => {
    const emu = await w.emulator();
    emu.store.createKey({ name: 'busy' }, { id: ALICE });
    for (let i = 0; i < 205; i++)
      emu.store.recordUsage(ALICE, { inputTokens: i + 1, timestamp: NOW - (205 - i) * 1000 });
    await emu.flushRedis();
    const records = (await w.redis.lrange(`usage:records:${ALICE}`, 0, -1)).map((r) => JSON.parse(r));
    expect(records).toHaveLength(200);
    expect(records.map((r) => r.inputTokens)).toEqual(Array.from({ length: 200 }, (_, i) => 205 - i));
  });

  it('seeds a history through the same layout: the list holds the newest 200, the day index every used day', async () => {
    const emu = await w.emulator();
    emu.store.createKey({ name: 'seeded' }, { id: ALICE });
    emu.store.seedHistory(ALICE, { days: 40, requestsPerDay: 10, seed: 7 });
    await emu.flushRedis();
    const admin = emu.store.usage.keys.get(ALICE)!;
    expect(await w.redis.hget(`usage:${ALICE}`, 'totalRequests')).toBe(String(admin.tot[0]));
    expect(await w.redis.llen(`usage:records:${ALICE}`)).toBe(200);
    // Days within the 32 kept have their bucket and their index entry; older ones are gone.
    const days = (await w.redis.keys(`usage:daily:${ALICE}:*`)).length;
    expect(days).toBeGreaterThan(25);
    expect(days).toBeLessThanOrEqual(33);
    expect((await w.redis.keys('usage:daily:index:*')).length).toBe(days);
  });

  it('writes the key hash and indexes through create, change, soft delete, restore and permanent delete', async () => {
    const emu = await w.emulator();
    const { id } = emu.store.createKey({ name: 'life', tags: ['portal', 'a'] }, { id: ALICE });
    const key = emu.store.getKey(id)!;
    emu.store.recordUsage(id, { inputTokens: 10 });
    emu.store.keys.update(key, { tags: ['portal', 'b'], isActive: false });
    await emu.flushRedis();
    expect(await w.redis.hget(`apikey:${id}`, 'tags')).toBe('["portal","b"]');
    expect([await w.redis.sismember('apikey:tag:a', id), await w.redis.sismember('apikey:tag:b', id)]).toEqual([0, 1]);
    expect(await w.redis.sismember('apikey:set:active', id)).toBe(0);

    emu.store.keys.softDelete(key, 'admin');
    await emu.flushRedis();
    expect(await w.redis.hmget(`apikey:${id}`, 'isDeleted', 'isActive')).toEqual(['true', 'false']);
    expect(await w.redis.hexists('apikey:hash_map', key.hash)).toBe(0);
    expect(await w.redis.sismember('apikey:set:deleted', id)).toBe(1);

    emu.store.keys.restore(key);
    await emu.flushRedis();
    expect(await w.redis.hexists(`apikey:${id}`, 'isDeleted')).toBe(0);
    expect(await w.redis.hget('apikey:hash_map', key.hash)).toBe(id);

    emu.store.keys.softDelete(key, 'admin');
    emu.store.keys.remove(key);
    emu.store.usage.drop(id);
    await emu.flushRedis();
    // Gone with its usage; the global counters keep it (docs/crs.md §4.5).
    expect((await w.redis.keys(`*${id}*`)).filter((k) => !k.includes('index'))).toEqual([]);
    expect(await w.redis.sismember('apikey:idx:all', id)).toBe(0);
    expect(await w.redis.hget('usage:global:total', 'requests')).toBe('1');
  });

  it('answers an HTTP request only once its writes are in Redis', async () => {
    const emu = await w.emulator();
    const { apiKey } = emu.store.createKey({ name: 'relay' }, { id: ALICE });
    await emu.flushRedis();
    // Redis holds every write for a moment (reads go on): an answer sent before its writes would be seen here.
    await w.redis.call('CLIENT', 'PAUSE', '300', 'WRITE');
    const res = await fetch(`${emu.url}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ model: SONNET, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    // No flushRedis(): the answer itself waited for the request's writes.
    expect(await w.redis.hget(`usage:${ALICE}`, 'totalRequests')).toBe('1');
    expect(await w.redis.hget(`apikey:${ALICE}`, 'lastUsedAt')).toBe(new Date(NOW).toISOString());
  });
});
