import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { HAIKU, OPUS, SONNET, snapshotToRedis, startEmulator } from '../../src/crs-emulator/index.js';
import type { CrsKeyUsage, CrsTrendEntry } from '../../src/infra/crs/types.js';
import { connectCrsRedis } from '../../src/infra/crs-redis/connection.js';
import { readKeysTrend } from '../../src/infra/crs-redis/keys-trend.js';
import { streamUsageStats } from '../../src/infra/crs-redis/usage-stats.js';
import { RedisServer } from '../support/redis-server.js';
import { differences, dumpRedis } from './redis-dump.js';

/*
 * The bulk snapshot (src/crs-emulator/crs-redis/snapshot.ts) against the Redis mode it stands in for: one
 * emulator store with a varied history, mirrored command by command into one Redis (attached before anything
 * happened) and snapshotted into another (after), must leave the same keyspace — every key, its type, its value,
 * its TTL. Tolerances, each the one snapshot-usage.ts documents: float costs within 1e-9 relative (the snapshot
 * recomputes a bucket's cost from its summed tokens, CRS sums each request's); TTLs within the wall-clock time
 * between the mirror's writes and the snapshot's (the emulator's clock stands still, Redis's does not); a request
 * record's `requestId` (numbered per write).
 */
const NOW = Date.now();
const HOUR = 3_600_000;
const started = performance.now();
const [mirrorServer, snapServer] = await Promise.all([RedisServer.start(), RedisServer.start()]);
const emulator = await startEmulator({ clock: () => NOW, redisUrl: mirrorServer.url });
afterAll(async () => {
  await emulator.close();
  await Promise.all([mirrorServer.stop(), snapServer.stop()]);
});

const store = emulator.store;
const make = (name: string, tags: string[] = []) => store.createKey({ name, tags });
const keys = {
  heavy: make('heavy', ['portal', 'team-a']),
  light: make('light', ['portal']),
  disabled: make('disabled', ['portal']),
  deleted: make('deleted', ['team-b']),
  restored: make('restored'),
  relay: make('relay', ['portal']),
  idle: make('idle'),
};
[keys.heavy, keys.light, keys.disabled, keys.deleted, keys.restored].forEach((k, i) => {
  store.seedHistory(k.id, { days: 38 - i, requestsPerDay: 3 + 4 * i, seed: 11 + i });
});
// Back-dated single requests on every model, with cache tokens: hours ago, days ago, over a month ago.
for (const [model, hoursAgo] of [
  [OPUS, 1],
  [OPUS, 9 * 24],
  [HAIKU, 30],
  [SONNET, 3],
  [OPUS, 36 * 24],
] as const) {
  store.recordUsage(keys.relay.id, {
    model,
    inputTokens: 2100 + hoursAgo,
    outputTokens: 900,
    cacheCreateTokens: 4000,
    cacheReadTokens: 30_000,
    timestamp: NOW - hoursAgo * HOUR,
  });
}
const relayed: number[] = [];
for (const model of [SONNET, OPUS, HAIKU]) {
  const res = await fetch(`${emulator.url}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': keys.relay.apiKey },
    body: JSON.stringify({ model, max_tokens: 300, messages: [{ role: 'user', content: 'hello' }] }),
  });
  relayed.push(res.status);
}
const get = (k: { id: string }) => store.getKey(k.id)!;
store.keys.update(get(keys.disabled), { isActive: false, name: 'disabled-renamed' });
store.keys.softDelete(get(keys.deleted), 'admin');
store.keys.softDelete(get(keys.restored), 'admin');
store.keys.restore(get(keys.restored));
await emulator.flushRedis();
const report = await snapshotToRedis(store, snapServer.url);
const elapsedMs = performance.now() - started;

const mirror = new Redis(mirrorServer.url);
const snap = new Redis(snapServer.url);
afterAll(() => {
  mirror.disconnect();
  snap.disconnect();
});

/** Records compare without their requestId. */
function comparable(type: string, value: unknown): unknown {
  if (type !== 'list') return value;
  return (value as string[]).map((item) => {
    const { requestId: _, ...rest } = JSON.parse(item) as Record<string, unknown>;
    return rest;
  });
}

describe('the Redis snapshot equals the command-by-command mirror (docs/crs.md §9)', () => {
  it('set up a varied history', () => {
    expect(relayed).toEqual([200, 200, 200]);
    expect(report.keys).toBe(Object.keys(keys).length);
  });

  it('leaves the same keys, types, values and TTLs', async () => {
    const [a, b] = [await dumpRedis(mirror), await dumpRedis(snap)];
    expect([...b.keys()]).toEqual([...a.keys()]);
    const bad: string[] = [];
    const tolerance = performance.now() - started;
    for (const [key, x] of a) {
      const y = b.get(key)!;
      if (x.type !== y.type) bad.push(`${key}: type ${x.type} ≠ ${y.type}`);
      bad.push(...differences(comparable(x.type, x.value), comparable(y.type, y.value), 1e-9, key));
      const ttlOff = x.pttl < 0 || y.pttl < 0 ? x.pttl !== y.pttl : Math.abs(y.pttl - x.pttl) > tolerance;
      if (ttlOff) bad.push(`${key}: pttl ${x.pttl} ≠ ${y.pttl} (±${Math.round(tolerance)} ms)`);
    }
    expect(bad).toEqual([]);

    // Not a vacuous equality: every family of §9 is there, with TTLs, and the clock's slack stays small.
    const families = [
      /^apikey:[0-9a-f-]{36}$/,
      /^apikey:hash_map$/,
      /^apikey:idx:(all|createdAt|lastUsedAt|name)$/,
      /^apikey:set:(active|deleted)$/,
      /^apikey:tag:team-b$/,
      /^apikey:tags:all$/,
      /^apikey:index:version$/,
      /^usage:[0-9a-f-]{36}$/,
      /^usage:(daily|monthly|hourly):[0-9a-f-]{36}:/,
      /^usage:[0-9a-f-]{36}:model:(daily|monthly|hourly|alltime):/,
      /^usage:cost:(daily|monthly|hourly|total):/,
      /^usage:cost:real:(daily|total):/,
      /^usage:opus:(weekly|total|real:weekly|real:total):/,
      /^usage:records:/,
      /^usage:global:(total|daily:|monthly:)/,
      /^usage:model:(daily|monthly|hourly):claude/,
      /^usage:(daily|hourly|keymodel:daily|keymodel:hourly|model:daily|model:hourly|model:monthly):index:/,
      /^usage:model:monthly:months$/,
      /^system:metrics:minute:/,
    ];
    const names = [...a.keys()];
    expect(families.filter((f) => !names.some((n) => f.test(n)))).toEqual([]);
    expect(names.length).toBeGreaterThan(800);
    expect(elapsedMs).toBeGreaterThan(0);
  });

  it('the portal’s direct reader reads the same totals and trend from both', async () => {
    const [fromMirror, fromSnapshot] = [await read(mirrorServer.url), await read(snapServer.url)];
    expect(sameCosts(fromSnapshot.lifetimeCost, fromMirror.lifetimeCost)).toBe(true);
    fromSnapshot.lifetimeCost = fromMirror.lifetimeCost;
    expect(fromSnapshot).toEqual(fromMirror);
    expect(fromMirror.totals.length).toBe(6);
    expect(new Set(fromMirror.trend.map((e) => e.date)).size).toBe(31);
  });

  it('with readerDays, writes only what the reader reads of those days, and the reader reads the same from it', async () => {
    const server = await RedisServer.start();
    try {
      const small = await snapshotToRedis(store, server.url, { readerDays: 3 });
      expect(small.commands).toBeLessThan(report.commands / 2);
      const [fromMirror, fromWindow] = [await read(mirrorServer.url, 2), await read(server.url, 2)];
      expect(sameCosts(fromWindow.lifetimeCost, fromMirror.lifetimeCost)).toBe(true);
      fromWindow.lifetimeCost = fromMirror.lifetimeCost;
      expect(fromWindow).toEqual(fromMirror);
      expect(fromMirror.trend.length).toBeGreaterThan(0);
      // Nothing the reader does not read: no monthly buckets, no request log.
      const probe = new Redis(server.url);
      const unread = await probe.keys('usage:monthly:*').finally(() => probe.disconnect());
      expect(unread).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

/** The same keys, each cost within 1e-9 relative of the other's. */
function sameCosts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size || a.size === 0) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (y === undefined || Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y), 1e-6)) return false;
  }
  return true;
}

/** What the portal's direct reader reads: every key's lifetime totals and the per-key trend of `days` days. */
async function read(url: string, days = 31) {
  const r = connectCrsRedis({ url, timeoutMs: 5000, logger: silentLogger });
  const totals: CrsKeyUsage[] = [];
  const trend: CrsTrendEntry[] = [];
  await streamUsageStats(r, { write: (batch) => void totals.push(...batch) });
  await readKeysTrend(r, { days, now: NOW, timezoneOffset: 8 }, (batch) => void trend.push(...batch));
  await r.close();
  const order = (x: object, y: object) => JSON.stringify(x).localeCompare(JSON.stringify(y));
  // A lifetime cost is a float sum, which Redis's INCRBYFLOAT (long double) and the snapshot (double) round
  // differently in the last digits — even in the micro-dollar when it lies near a half: compared apart, to 1e-9
  // relative (the keyspace comparison's tolerance). Day costs are summed micros: compared exactly, in micros.
  const lifetimeCost = new Map(totals.map((t) => [t.keyId, t.total.cost]));
  for (const t of totals) t.total.cost = 0;
  for (const e of trend) e.cost = Math.round(e.cost * 1e6);
  return { totals: totals.sort(order), trend: trend.sort(order), lifetimeCost };
}

const silentLogger = {
  child: () => silentLogger,
  warn() {},
  info() {},
  debug() {},
  error() {},
} as unknown as Parameters<typeof connectCrsRedis>[0]['logger'];
