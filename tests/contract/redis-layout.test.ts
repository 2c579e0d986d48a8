import { describe, expect, it } from 'vitest';
import { SONNET } from '../../src/crs-emulator/index.js';
import { crsRedisWorld, DAY_S, NOW } from './crs-redis-world.js';
import { ALICE } from './world.js';

/*
 * The emulator's Redis mode against docs/crs.md §9 (CRS 1.1.314's layout): the hand example of the seeding
 * recipe reproduced key by key, field by field, TTL by TTL; buckets named in CRS's timezone; TTLs counted from
 * the event and buckets CRS would already have dropped not written. (Records and key hashes:
 * redis-layout-keys.test.ts.)
 */
const MINUTE = Math.floor(NOW / 60_000);
const w = crsRedisWorld();
const str = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));

describe('the emulator writes CRS’s Redis layout (docs/crs.md §9)', () => {
  it('reproduces the hand example of the seeding recipe key by key, field by field, TTL by TTL', async () => {
    const emu = await w.emulator();
    emu.store.createKey({ name: 'hand-example', tags: ['portal'] }, { id: ALICE });
    // A stale "no data" marker, as CRS caches it after a scan of an empty day: the write must delete it.
    await w.redis.set('usage:daily:index:2026-11-26:empty', '1');
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
      expect([key, await w.redis.hgetall(key), await w.ttl(key)]).toEqual([key, fields, t]);
    }
    for (const [key, [value, t]] of Object.entries(floats)) {
      expect([key, await w.redis.get(key), await w.ttl(key)]).toEqual([key, value, t]);
    }
    for (const [key, [members, t]] of Object.entries(sets)) {
      expect([key, await w.redis.smembers(key), await w.ttl(key)]).toEqual([key, members, t]);
    }
    const [record] = (await w.redis.lrange(`usage:records:${ALICE}`, 0, -1)).map((r) => JSON.parse(r));
    expect(record).toMatchObject({
      timestamp: '2026-11-25T20:32:00.000Z',
      model: SONNET,
      ...tokens,
      ...eph,
      totalTokens: 25_000,
      cost: 0.03285,
      realCost: 0.03285,
    });
    expect(await w.ttl(`usage:records:${ALICE}`)).toBe(90 * DAY_S);

    // Nothing else under usage:/system:, and the key's own hash and indexes (§9.1) beside them.
    const usageKeys = (await w.redis.keys('*')).filter((k) => !k.startsWith('apikey:')).sort();
    const expected = [
      ...Object.keys(hashes),
      ...Object.keys(floats),
      ...Object.keys(sets),
      `usage:records:${ALICE}`,
    ].sort();
    expect(usageKeys).toEqual(expected);
    const apikeyKeys = (await w.redis.keys('apikey:*')).sort();
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
    expect(await w.redis.hgetall(`apikey:${ALICE}`)).toMatchObject({
      id: ALICE,
      name: 'hand-example',
      isActive: 'true',
      tags: '["portal"]',
      permissions: '[]',
      lastUsedAt: '2026-11-25T20:32:00.000Z',
    });
    expect(await w.ttl(`apikey:${ALICE}`)).toBe(365 * DAY_S);
    expect(await w.redis.get('apikey:index:version')).toBe('2');
    expect(await w.redis.zscore('apikey:idx:lastUsedAt', ALICE)).toBe(String(NOW));
  });

  it('names day, month and hour buckets in CRS’s timezone', async () => {
    // 16:30 UTC on the last of November is 00:30 on December 1 in UTC+8.
    const late = Date.parse('2026-11-30T16:30:00.000Z');
    const plus8 = await w.emulator({ now: late });
    plus8.store.createKey({ name: 'tz' }, { id: ALICE });
    plus8.store.recordUsage(ALICE, { inputTokens: 10, outputTokens: 5 });
    await plus8.flushRedis();
    for (const key of [
      `usage:daily:${ALICE}:2026-12-01`,
      `usage:monthly:${ALICE}:2026-12`,
      `usage:hourly:${ALICE}:2026-12-01:00`,
      `usage:${ALICE}:model:daily:${SONNET}:2026-12-01`,
      'usage:global:monthly:2026-12',
    ]) {
      expect([key, await w.redis.exists(key)]).toEqual([key, 1]);
    }
    expect(await w.redis.exists(`usage:daily:${ALICE}:2026-11-30`)).toBe(0);
    expect(await w.redis.smembers('usage:daily:index:2026-12-01')).toEqual([ALICE]);

    // Another offset (CRS allows any but 0): 03:00 UTC on December 1 is 22:00 on November 30 in UTC-5.
    await w.redis.flushall();
    const early = Date.parse('2026-12-01T03:00:00.000Z');
    const minus5 = await w.emulator({ now: early, timezoneOffset: -5 });
    minus5.store.createKey({ name: 'tz' }, { id: ALICE });
    minus5.store.recordUsage(ALICE, { inputTokens: 10, outputTokens: 5 });
    await minus5.flushRedis();
    expect(await w.redis.exists(`usage:daily:${ALICE}:2026-11-30`, `usage:hourly:${ALICE}:2026-11-30:22`)).toBe(2);
    expect(await w.redis.exists(`usage:monthly:${ALICE}:2026-11`)).toBe(1);
  });

  it('counts TTLs from the event and skips the buckets CRS would already have dropped', async () => {
    const emu = await w.emulator();
    emu.store.createKey({ name: 'old-usage' }, { id: ALICE });
    const tenDays = NOW - 10 * DAY_S * 1000;
    const fortyDays = NOW - 40 * DAY_S * 1000;
    emu.store.recordUsage(ALICE, { inputTokens: 100, outputTokens: 50, timestamp: tenDays });
    emu.store.recordUsage(ALICE, { inputTokens: 1000, outputTokens: 500, timestamp: fortyDays });
    await emu.flushRedis();

    // Ten days old (2026-11-16 in UTC+8): the day lives 22 more days, its cost 20, its hour is gone.
    expect(await w.ttl(`usage:daily:${ALICE}:2026-11-16`)).toBe(22 * DAY_S);
    expect(await w.ttl(`usage:${ALICE}:model:daily:${SONNET}:2026-11-16`)).toBe(22 * DAY_S);
    expect(await w.ttl('usage:daily:index:2026-11-16')).toBe(22 * DAY_S);
    expect(await w.ttl(`usage:cost:daily:${ALICE}:2026-11-16`)).toBe(20 * DAY_S);
    expect(await w.redis.keys(`usage:hourly:${ALICE}:*`)).toEqual([]);
    expect(await w.redis.keys(`usage:cost:hourly:${ALICE}:*`)).toEqual([]);
    expect(await w.redis.keys('system:metrics:minute:*')).toEqual([]);

    // Forty days old (2026-10-17): no day bucket, index or daily cost; the month and the lifetime keep it.
    expect(await w.redis.keys('*2026-10-17*')).toEqual([]);
    expect(await w.ttl(`usage:monthly:${ALICE}:2026-10`)).toBe(325 * DAY_S);
    expect(await w.redis.hget(`usage:monthly:${ALICE}:2026-10`, 'requests')).toBe('1');
    expect(await w.redis.hgetall(`usage:${ALICE}`)).toMatchObject({ totalRequests: '2', totalInputTokens: '1100' });
    expect(await w.redis.hget(`usage:${ALICE}:model:alltime:${SONNET}`, 'requests')).toBe('2');
    // The month holds both events; its TTL is the newer one's (a later write re-arms it, never shortens it).
    expect(await w.ttl(`usage:monthly:${ALICE}:2026-11`)).toBe(355 * DAY_S);
  });
});
