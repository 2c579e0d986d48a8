import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, SONNET, startEmulator } from '../../src/crs-emulator/index.js';
import { RedisServer } from '../support/redis-server.js';
import { ALICE } from './world.js';

/*
 * The emulator's Redis mode against docs/crs.md §9 (CRS 1.1.314's layout): the hand example of the seeding
 * recipe reproduced key by key, field by field, TTL by TTL; buckets named in CRS's timezone; TTLs counted from
 * the event and buckets CRS would already have dropped not written; the records list capped; the key hashes.
 * A Redis of this file's own: the names are CRS's, unprefixed.
 */
const DAY_S = 86_400;
/** 04:32 on 2026-11-26 in CRS's UTC+8: the hand example's date. */
const NOW = Date.parse('2026-11-25T20:32:00.000Z');
const MINUTE = Math.floor(NOW / 60_000);

let server: RedisServer;
let redis: Redis;
const emulators: Emulator[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  await redis.flushall();
});
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function emulator(opts: { now?: number; timezoneOffset?: number } = {}) {
  let now = opts.now ?? NOW;
  const emu = await startEmulator({ clock: () => now, redisUrl: server.url, timezoneOffset: opts.timezoneOffset });
  emulators.push(emu);
  return { emu, set: (t: number) => (now = t) };
}

const ttl = (key: string) => redis.ttl(key);
const str = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));

describe('the emulator writes CRS’s Redis layout (docs/crs.md §9)', () => {
  it('reproduces the hand example of the seeding recipe key by key, field by field, TTL by TTL', async () => {
    const { emu } = await emulator();
    emu.store.createKey({ name: 'hand-example', tags: ['portal'] }, { id: ALICE });
    // A stale "no data" marker, as CRS caches it after a scan of an empty day: the write must delete it.
    await redis.set('usage:daily:index:2026-11-26:empty', '1');
    // One sonnet request: 1,200 in, 800 out, 3,000 cache write, 20,000 cache read = $0.03285.
    const { cost, costMicro } = emu.store.recordUsage(ALICE, {
      model: SONNET,
      inputTokens: 1200,
      outputTokens: 800,
      cacheCreateTokens: 3000,
      cacheReadTokens: 20_000,
    });
    expect([cost, costMicro]).toEqual([0.03285, 32850]);
    await emu.flushRedis();

    const D = '2026-11-26';
    const M = '2026-11';
    const H = '2026-11-26:04';
    const tokens = { inputTokens: 1200, outputTokens: 800, cacheCreateTokens: 3000, cacheReadTokens: 20_000 };
    const eph = { ephemeral5mTokens: 3000, ephemeral1hTokens: 0 };
    const keyBucket = str({ tokens: 2000, ...tokens, allTokens: 25_000, requests: 1, ...eph });
    const modelBucket = str({ ...tokens, allTokens: 25_000, requests: 1, ...eph });
    const costed = { ...modelBucket, realCostMicro: '32850', ratedCostMicro: '32850' };
    const globals = str({ requests: 1, ...tokens, allTokens: 25_000, ...eph });
    const hashes: Record<string, [Record<string, string>, number]> = {
      [`usage:${ALICE}`]: [
        str({
          totalTokens: 2000,
          totalInputTokens: 1200,
          totalOutputTokens: 800,
          totalCacheCreateTokens: 3000,
          totalCacheReadTokens: 20_000,
          totalAllTokens: 25_000,
          totalEphemeral5mTokens: 3000,
          totalEphemeral1hTokens: 0,
          totalRequests: 1,
        }),
        -1,
      ],
      [`usage:daily:${ALICE}:${D}`]: [keyBucket, 32 * DAY_S],
      [`usage:monthly:${ALICE}:${M}`]: [keyBucket, 365 * DAY_S],
      [`usage:hourly:${ALICE}:${H}`]: [keyBucket, 7 * DAY_S],
      [`usage:model:daily:${SONNET}:${D}`]: [modelBucket, 32 * DAY_S],
      [`usage:model:monthly:${SONNET}:${M}`]: [modelBucket, 365 * DAY_S],
      [`usage:model:hourly:${SONNET}:${H}`]: [modelBucket, 7 * DAY_S],
      [`usage:${ALICE}:model:daily:${SONNET}:${D}`]: [costed, 32 * DAY_S],
      [`usage:${ALICE}:model:monthly:${SONNET}:${M}`]: [costed, 365 * DAY_S],
      [`usage:${ALICE}:model:hourly:${SONNET}:${H}`]: [costed, 7 * DAY_S],
      // The lifetime per-model bucket has no allTokens.
      [`usage:${ALICE}:model:alltime:${SONNET}`]: [
        { ...str({ ...tokens, requests: 1, ...eph }), realCostMicro: '32850', ratedCostMicro: '32850' },
        -1,
      ],
      'usage:global:total': [globals, -1],
      [`usage:global:daily:${D}`]: [globals, 32 * DAY_S],
      [`usage:global:monthly:${M}`]: [globals, 365 * DAY_S],
      [`system:metrics:minute:${MINUTE}`]: [
        str({
          requests: 1,
          totalTokens: 25_000,
          inputTokens: 1200,
          outputTokens: 800,
          cacheCreateTokens: 3000,
          cacheReadTokens: 20_000,
        }),
        600,
      ],
    };
    const floats: Record<string, [string, number]> = {
      [`usage:cost:daily:${ALICE}:${D}`]: ['0.03285', 30 * DAY_S],
      [`usage:cost:monthly:${ALICE}:${M}`]: ['0.03285', 90 * DAY_S],
      [`usage:cost:hourly:${ALICE}:${H}`]: ['0.03285', 7 * DAY_S],
      [`usage:cost:total:${ALICE}`]: ['0.03285', -1],
      [`usage:cost:real:total:${ALICE}`]: ['0.03285', -1],
      [`usage:cost:real:daily:${ALICE}:${D}`]: ['0.03285', 30 * DAY_S],
    };
    const sets: Record<string, [string[], number]> = {
      [`usage:daily:index:${D}`]: [[ALICE], 32 * DAY_S],
      [`usage:hourly:index:${H}`]: [[ALICE], 7 * DAY_S],
      [`usage:model:daily:index:${D}`]: [[SONNET], 32 * DAY_S],
      [`usage:model:hourly:index:${H}`]: [[SONNET], 7 * DAY_S],
      [`usage:model:monthly:index:${M}`]: [[SONNET], 365 * DAY_S],
      'usage:model:monthly:months': [[M], -1],
      [`usage:keymodel:daily:index:${D}`]: [[`${ALICE}:${SONNET}`], 32 * DAY_S],
      [`usage:keymodel:hourly:index:${H}`]: [[`${ALICE}:${SONNET}`], 7 * DAY_S],
    };
    for (const [key, [fields, t]] of Object.entries(hashes)) {
      expect([key, await redis.hgetall(key), await ttl(key)]).toEqual([key, fields, t]);
    }
    for (const [key, [value, t]] of Object.entries(floats)) {
      expect([key, await redis.get(key), await ttl(key)]).toEqual([key, value, t]);
    }
    for (const [key, [members, t]] of Object.entries(sets)) {
      expect([key, await redis.smembers(key), await ttl(key)]).toEqual([key, members, t]);
    }
    const [record] = (await redis.lrange(`usage:records:${ALICE}`, 0, -1)).map((r) => JSON.parse(r));
    expect(record).toMatchObject({
      timestamp: '2026-11-25T20:32:00.000Z',
      model: SONNET,
      ...tokens,
      ...eph,
      totalTokens: 25_000,
      cost: 0.03285,
      realCost: 0.03285,
    });
    expect(await ttl(`usage:records:${ALICE}`)).toBe(90 * DAY_S);

    // Nothing else under usage:/system:, and the key's own hash and indexes (§9.1) beside them.
    const usageKeys = (await redis.keys('*')).filter((k) => !k.startsWith('apikey:')).sort();
    const expected = [
      ...Object.keys(hashes),
      ...Object.keys(floats),
      ...Object.keys(sets),
      `usage:records:${ALICE}`,
    ].sort();
    expect(usageKeys).toEqual(expected);
    const apikeyKeys = (await redis.keys('apikey:*')).sort();
    expect(apikeyKeys).toEqual(
      [
        `apikey:${ALICE}`,
        'apikey:hash_map',
        'apikey:idx:all',
        'apikey:idx:createdAt',
        'apikey:idx:lastUsedAt',
        'apikey:idx:name',
        'apikey:index:version',
        'apikey:set:active',
        'apikey:tag:portal',
        'apikey:tags:all',
      ].sort(),
    );
    expect(await redis.hgetall(`apikey:${ALICE}`)).toMatchObject({
      id: ALICE,
      name: 'hand-example',
      isActive: 'true',
      tags: '["portal"]',
      permissions: '[]',
      lastUsedAt: '2026-11-25T20:32:00.000Z',
    });
    expect(await ttl(`apikey:${ALICE}`)).toBe(365 * DAY_S);
    expect(await redis.get('apikey:index:version')).toBe('2');
    expect(await redis.zscore('apikey:idx:lastUsedAt', ALICE)).toBe(String(NOW));
  });

  it('names day, month and hour buckets in CRS’s timezone', async () => {
    // 16:30 UTC on the last of November is 00:30 on December 1 in UTC+8.
    const late = Date.parse('2026-11-30T16:30:00.000Z');
    const plus8 = await emulator({ now: late });
    plus8.emu.store.createKey({ name: 'tz' }, { id: ALICE });
    plus8.emu.store.recordUsage(ALICE, { inputTokens: 10, outputTokens: 5 });
    await plus8.emu.flushRedis();
    for (const key of [
      `usage:daily:${ALICE}:2026-12-01`,
      `usage:monthly:${ALICE}:2026-12`,
      `usage:hourly:${ALICE}:2026-12-01:00`,
      `usage:${ALICE}:model:daily:${SONNET}:2026-12-01`,
      'usage:global:monthly:2026-12',
    ]) {
      expect([key, await redis.exists(key)]).toEqual([key, 1]);
    }
    expect(await redis.exists(`usage:daily:${ALICE}:2026-11-30`)).toBe(0);
    expect(await redis.smembers('usage:daily:index:2026-12-01')).toEqual([ALICE]);

    // Another offset (CRS allows any but 0): 03:00 UTC on December 1 is 22:00 on November 30 in UTC-5.
    await redis.flushall();
    const early = Date.parse('2026-12-01T03:00:00.000Z');
    const minus5 = await emulator({ now: early, timezoneOffset: -5 });
    minus5.emu.store.createKey({ name: 'tz' }, { id: ALICE });
    minus5.emu.store.recordUsage(ALICE, { inputTokens: 10, outputTokens: 5 });
    await minus5.emu.flushRedis();
    expect(await redis.exists(`usage:daily:${ALICE}:2026-11-30`, `usage:hourly:${ALICE}:2026-11-30:22`)).toBe(2);
    expect(await redis.exists(`usage:monthly:${ALICE}:2026-11`)).toBe(1);
  });

  it('counts TTLs from the event and skips the buckets CRS would already have dropped', async () => {
    const { emu } = await emulator();
    emu.store.createKey({ name: 'old-usage' }, { id: ALICE });
    const tenDays = NOW - 10 * DAY_S * 1000;
    const fortyDays = NOW - 40 * DAY_S * 1000;
    emu.store.recordUsage(ALICE, { inputTokens: 100, outputTokens: 50, timestamp: tenDays });
    emu.store.recordUsage(ALICE, { inputTokens: 1000, outputTokens: 500, timestamp: fortyDays });
    await emu.flushRedis();

    // Ten days old (2026-11-16 in UTC+8): the day lives 22 more days, its cost 20, its hour is gone.
    expect(await ttl(`usage:daily:${ALICE}:2026-11-16`)).toBe(22 * DAY_S);
    expect(await ttl(`usage:${ALICE}:model:daily:${SONNET}:2026-11-16`)).toBe(22 * DAY_S);
    expect(await ttl('usage:daily:index:2026-11-16')).toBe(22 * DAY_S);
    expect(await ttl(`usage:cost:daily:${ALICE}:2026-11-16`)).toBe(20 * DAY_S);
    expect(await redis.keys(`usage:hourly:${ALICE}:*`)).toEqual([]);
    expect(await redis.keys(`usage:cost:hourly:${ALICE}:*`)).toEqual([]);
    expect(await redis.keys('system:metrics:minute:*')).toEqual([]);

    // Forty days old (2026-10-17): no day bucket, index or daily cost; the month and the lifetime keep it.
    expect(await redis.keys('*2026-10-17*')).toEqual([]);
    expect(await ttl(`usage:monthly:${ALICE}:2026-10`)).toBe(325 * DAY_S);
    expect(await redis.hget(`usage:monthly:${ALICE}:2026-10`, 'requests')).toBe('1');
    expect(await redis.hgetall(`usage:${ALICE}`)).toMatchObject({ totalRequests: '2', totalInputTokens: '1100' });
    expect(await redis.hget(`usage:${ALICE}:model:alltime:${SONNET}`, 'requests')).toBe('2');
    // The month holds both events; its TTL is the newer one's (a later write re-arms it, never shortens it).
    expect(await ttl(`usage:monthly:${ALICE}:2026-11`)).toBe(355 * DAY_S);
  });

  it('keeps the newest 200 request records, newest first', async () => {
    const { emu } = await emulator();
    emu.store.createKey({ name: 'busy' }, { id: ALICE });
    for (let i = 0; i < 205; i++)
      emu.store.recordUsage(ALICE, { inputTokens: i + 1, timestamp: NOW - (205 - i) * 1000 });
    await emu.flushRedis();
    const records = (await redis.lrange(`usage:records:${ALICE}`, 0, -1)).map((r) => JSON.parse(r));
    expect(records).toHaveLength(200);
    expect(records.map((r) => r.inputTokens)).toEqual(Array.from({ length: 200 }, (_, i) => 205 - i));
  });

  it('seeds a history through the same layout: the list holds the newest 200, the day index every used day', async () => {
    const { emu } = await emulator();
    emu.store.createKey({ name: 'seeded' }, { id: ALICE });
    emu.store.seedHistory(ALICE, { days: 40, requestsPerDay: 10, seed: 7 });
    await emu.flushRedis();
    const admin = emu.store.usage.keys.get(ALICE)!;
    expect(await redis.hget(`usage:${ALICE}`, 'totalRequests')).toBe(String(admin.tot[0]));
    expect(await redis.llen(`usage:records:${ALICE}`)).toBe(200);
    // Days within the 32 kept have their bucket and their index entry; older ones are gone.
    const days = (await redis.keys(`usage:daily:${ALICE}:*`)).length;
    expect(days).toBeGreaterThan(25);
    expect(days).toBeLessThanOrEqual(33);
    expect((await redis.keys('usage:daily:index:*')).length).toBe(days);
  });

  it('writes the key hash and indexes through create, change, soft delete, restore and permanent delete', async () => {
    const { emu } = await emulator();
    const { id } = emu.store.createKey({ name: 'life', tags: ['portal', 'a'] }, { id: ALICE });
    const key = emu.store.getKey(id)!;
    emu.store.recordUsage(id, { inputTokens: 10 });
    emu.store.keys.update(key, { tags: ['portal', 'b'], isActive: false });
    await emu.flushRedis();
    expect(await redis.hget(`apikey:${id}`, 'tags')).toBe('["portal","b"]');
    expect([await redis.sismember('apikey:tag:a', id), await redis.sismember('apikey:tag:b', id)]).toEqual([0, 1]);
    expect(await redis.sismember('apikey:set:active', id)).toBe(0);

    emu.store.keys.softDelete(key, 'admin');
    await emu.flushRedis();
    expect(await redis.hmget(`apikey:${id}`, 'isDeleted', 'isActive')).toEqual(['true', 'false']);
    expect(await redis.hexists('apikey:hash_map', key.hash)).toBe(0);
    expect(await redis.sismember('apikey:set:deleted', id)).toBe(1);

    emu.store.keys.restore(key);
    await emu.flushRedis();
    expect(await redis.hexists(`apikey:${id}`, 'isDeleted')).toBe(0);
    expect(await redis.hget('apikey:hash_map', key.hash)).toBe(id);

    emu.store.keys.softDelete(key, 'admin');
    emu.store.keys.remove(key);
    emu.store.usage.drop(id);
    await emu.flushRedis();
    // Gone with its usage; the global counters keep it (docs/crs.md §4.5).
    expect((await redis.keys(`*${id}*`)).filter((k) => !k.includes('index'))).toEqual([]);
    expect(await redis.sismember('apikey:idx:all', id)).toBe(0);
    expect(await redis.hget('usage:global:total', 'requests')).toBe('1');
  });
});
