import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics.js';
import { RedisBus } from './bus.js';
import { ChannelInvalidation, type InvalidationChannel } from './channel-invalidation.js';
import { CacheCounters } from './counters.js';
import { createEntries, EVERYONE } from './entries.js';
import { MemoryTier, type MemoryTierOptions } from './memory-tier.js';
import { PortalNamespace } from './namespace-cache.js';
import { type DefaultValues, NAMESPACES, type NamespaceName, type Namespaces } from './namespaces.js';
import { checkRedis, connect, createRedisClient } from './redis.js';
import { RedisInvalidation } from './redis-tags.js';
import { RedisTier } from './redis-tier.js';
import type { CacheEngine } from './types.js';

export interface CacheOptions {
  /** Absent: memory tier only. */
  redisUrl?: string;
  /** Prefix of every Redis key and bus channel (tests give each file its own). */
  prefix?: string;
  metrics: Metrics;
  logger: FastifyBaseLogger;
  /** Bounds of the memory tier (default 50,000 entries, 64 MB). */
  memory?: MemoryTierOptions;
  /** How long Redis is left alone after a failed command before it is tried again (default 2 s). */
  l2CircuitBreakerMs?: number;
  /**
   * The shared database's message channel (PostgreSQL LISTEN/NOTIFY): a second invalidation path between the
   * instances, which keeps them in step with Redis down or absent. Absent for the embedded database.
   */
  channel?: InvalidationChannel;
}

/** Startup waits this long at most for the bus's SUBSCRIBE when Redis is up. */
const SUBSCRIBE_WAIT_MS = 2000;

/**
 * The portal's two-tier cache (docs/decisions/021-owning-the-cache-tiers.md): memory (L1) always; Redis (L2)
 * and the Redis bus (invalidates the other instances' memory tier) when `redisUrl` is set; the database's
 * channel as a second invalidation path when given. Redis being down at startup or later is not an error:
 * every call is then served from memory and the loaders, and Redis is used again once it is back.
 */
export async function createCache(opts: CacheOptions): Promise<CacheEngine> {
  const prefix = (opts.prefix ?? 'kp').replace(/:+$/, '');
  const logger = opts.logger.child({ component: 'cache' });
  const tier = new MemoryTier(prefix, opts.memory);

  let client: Redis | undefined;
  let subscriber: Redis | undefined;
  let l2: RedisTier | undefined;
  let bus: RedisBus | undefined;
  let redisTags: RedisInvalidation | undefined;
  if (opts.redisUrl) {
    client = createRedisClient(opts.redisUrl, { logger, metrics: opts.metrics, role: 'command' });
    subscriber = createRedisClient(opts.redisUrl, { logger, role: 'subscriber' });
    l2 = new RedisTier(client, opts.l2CircuitBreakerMs ?? 2000, logger);
    bus = new RedisBus(client, subscriber, prefix, tier, logger);
    // Once an owed Redis purge is made, the memory tiers drop again what they may have re-read meanwhile.
    redisTags = new RedisInvalidation(client, prefix, logger, (marker) => broadcast(marker));
  }

  const counters = new CacheCounters(opts.metrics);
  const viaDatabase = opts.channel ? new ChannelInvalidation(opts.channel, tier, logger) : undefined;
  const shared = Boolean(client || viaDatabase);
  /** Whether another instance's invalidation would reach us now (always, for a process that shares nothing). */
  const coherent = () => !shared || subscriber?.status === 'ready' || Boolean(viaDatabase?.connected());
  const make = <N extends NamespaceName>(name: N) =>
    new PortalNamespace<DefaultValues[N]>({
      name,
      spec: NAMESPACES[name],
      tier,
      l2,
      bus,
      redisTags,
      count: counters.of(name),
      coherent,
      tell: viaDatabase ? (marker) => viaDatabase.publish(marker) : undefined,
    });
  /** To our memory tier and the other instances': through Redis's bus and the database's channel. */
  const broadcast = async (marker: string) => {
    tier.applyMarker(marker);
    await Promise.all([bus?.publishMarkers([marker]), viaDatabase?.publish(marker)]);
  };

  if (client && subscriber && bus) {
    // The bus's SUBSCRIBE connects the subscriber on its own; the command connection is started here.
    if (subscriber.status === 'wait') subscriber.connect().catch(() => {});
    if (await connect(client)) await bus.whenSubscribed(SUBSCRIBE_WAIT_MS);
  }

  // Redis first, then the memory tiers: an instance that drops its copy must not read the old one from Redis.
  const invalidateTag = async (tag: string): Promise<void> => {
    tier.bump(tag);
    void redisTags?.settle();
    await redisTags?.purgeTag(tag);
    await broadcast(`tag|${tag}`);
  };

  const namespaces: Namespaces = {
    crsDashboard: make('crs:dashboard'),
    crsTrend: make('crs:trend'),
    crsKeyStats: make('crs:key-stats'),
    keys: make('keys'),
    stats: make('stats'),
    auth: make('auth'),
  };
  let closed = false;
  return {
    namespaces,
    entries: createEntries(namespaces),
    invalidateUser: (userId) => invalidateTag(`user:${userId}`),
    invalidateKey: (keyId) => invalidateTag(`key:${keyId}`),
    invalidateCrossUser: () => invalidateTag(`user:${EVERYONE}`),
    async invalidateNamespace(name) {
      if (!(name in NAMESPACES)) throw new TypeError(`unknown cache namespace: ${name}`);
      tier.bump(`ns:${name}`);
      void redisTags?.settle();
      const deleted = (await redisTags?.purgeNamespace(name)) ?? 0;
      await broadcast(`ns|${name}`);
      return deleted;
    },
    counters: () => counters.snapshot(),
    shared: client ? { redis: client, prefix } : undefined,
    async health() {
      if (!client) return { redis: 'disabled' };
      const h = await checkRedis(client);
      if (!h.up) return { redis: 'down' };
      // Redis answers again without having reconnected (it was paused or slow): make the owed purges now.
      void redisTags?.settle();
      return h.memoryRatio === undefined ? { redis: 'up' } : { redis: 'up', memoryRatio: h.memoryRatio };
    },
    async close() {
      if (closed) return;
      closed = true;
      counters.detach();
      redisTags?.close();
      bus?.close();
      await viaDatabase?.close();
      client?.disconnect();
      subscriber?.disconnect();
      if (client) opts.metrics.redisUp.set(0);
    },
  };
}
