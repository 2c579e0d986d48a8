import { BentoCache, bentostore } from 'bentocache';
import { redisDriver } from 'bentocache/drivers/redis';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics.js';
import { busDriver, RedisBusTransport } from './bus.js';
import { ChannelInvalidation, type InvalidationChannel } from './channel-invalidation.js';
import { CacheCounters } from './counters.js';
import { MARKER_PREFIX, MemoryTier, type MemoryTierOptions } from './memory-tier.js';
import { PortalNamespace } from './namespace-cache.js';
import { type DefaultValues, NAMESPACES, type NamespaceName } from './namespaces.js';
import { checkRedis, connect, createRedisClient } from './redis.js';
import { RedisInvalidation } from './redis-tags.js';
import type { PortalCache } from './types.js';

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
 * The portal's two-tier cache: memory (L1) always; Redis (L2) and the Redis bus (invalidates the other
 * instances' memory tier) when `redisUrl` is set; the database's channel as a second invalidation path when
 * given. Redis being down at startup or later is not an error: every call is then served from memory and the
 * loaders, and Redis is used again once it is back.
 */
export async function createCache(opts: CacheOptions): Promise<PortalCache> {
  const prefix = (opts.prefix ?? 'kp').replace(/:+$/, '');
  const logger = opts.logger.child({ component: 'cache' });
  const tier = new MemoryTier(prefix, opts.memory);
  const store = bentostore().useL1Layer(tier.driver());

  let client: Redis | undefined;
  let subscriber: Redis | undefined;
  let transport: RedisBusTransport | undefined;
  let redisTags: RedisInvalidation | undefined;
  if (opts.redisUrl) {
    client = createRedisClient(opts.redisUrl, { logger, metrics: opts.metrics, role: 'command' });
    subscriber = createRedisClient(opts.redisUrl, { logger, role: 'subscriber' });
    transport = new RedisBusTransport(client, subscriber, logger);
    // biome-ignore lint/correctness/useHookAtTopLevel: bentocache's store builder, not a React hook
    store.useL2Layer(redisDriver({ connection: client })).useBus(busDriver(transport));
    // Once an owed Redis purge is made, the memory tiers drop again what they may have re-read meanwhile.
    redisTags = new RedisInvalidation(client, prefix, logger, (marker) => broadcast(marker));
  }

  const bento = new BentoCache({
    default: prefix,
    stores: { [prefix]: store },
    prefix,
    ttl: 60_000,
    grace: false,
    // L2 errors never reach callers: with a memory tier they fall back to it and to the loader.
    suppressL2Errors: true,
    l2CircuitBreakerDuration: opts.l2CircuitBreakerMs ?? 2000,
  });

  // The one bentocache stack (built now: this also creates the bus and sends its SUBSCRIBE).
  const root = bento.use();
  const counters = new CacheCounters(opts.metrics);
  const viaDatabase = opts.channel ? new ChannelInvalidation(opts.channel, tier, logger) : undefined;
  const shared = Boolean(client || viaDatabase);
  /** Whether another instance's invalidation would reach us now (always, for a process that shares nothing). */
  const coherent = () => !shared || subscriber?.status === 'ready' || Boolean(viaDatabase?.connected());
  const make = <N extends NamespaceName>(name: N) =>
    new PortalNamespace<DefaultValues[N]>({
      name,
      spec: NAMESPACES[name],
      bento: root,
      tier,
      count: counters.of(name),
      redisTags,
      coherent,
      tell: viaDatabase ? (marker) => viaDatabase.publish(marker) : undefined,
    });
  /** To our memory tier and the other instances': through Redis's bus (a marker delete) and the database's channel. */
  const broadcast = async (marker: string) => {
    await Promise.all([root.deleteMany({ keys: [MARKER_PREFIX + marker] }), viaDatabase?.publish(marker)]);
  };

  if (client && subscriber && transport) {
    // The bus's SUBSCRIBE (issued when bentocache built its stack) connects the subscriber on its own.
    if (subscriber.status === 'wait') subscriber.connect().catch(() => {});
    if (await connect(client)) await transport.whenSubscribed(SUBSCRIBE_WAIT_MS);
  }

  // Redis first, then the memory tiers: an instance that drops its copy must not read the old one from Redis.
  const invalidateTag = async (tag: string): Promise<void> => {
    tier.bump(tag);
    void redisTags?.settle();
    await redisTags?.purgeTag(tag);
    await broadcast(`tag|${tag}`);
  };

  let closed = false;
  const cache: PortalCache = {
    crsDashboard: make('crs:dashboard'),
    crsTrend: make('crs:trend'),
    crsKeyStats: make('crs:key-stats'),
    keys: make('keys'),
    stats: make('stats'),
    auth: make('auth'),
    invalidateUser: (userId) => invalidateTag(`user:${userId}`),
    invalidateKey: (keyId) => invalidateTag(`key:${keyId}`),
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
      await viaDatabase?.close();
      // Closes the L2 connection, the bus (its retry timer and the subscriber) and the memory driver.
      await bento.disconnectAll();
      client?.disconnect();
      subscriber?.disconnect();
      if (client) opts.metrics.redisUp.set(0);
    },
  };
  return cache;
}
