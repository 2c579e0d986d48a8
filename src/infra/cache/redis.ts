import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { Metrics } from '../metrics/metrics.js';

/**
 * ioredis clients configured for outages (docs/architecture.md §5): a request never waits for a dead Redis — commands
 * fail at once while disconnected and after `commandTimeout` when Redis hangs — and the client reconnects
 * forever with a growing delay, so Redis is used again as soon as it is back, without a restart.
 */

export const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 5000;

/** min(attempt × 200 ms, 5 s), never giving up (ioredis stops reconnecting when this returns a non-number). */
export const reconnectDelay = (attempt: number): number => Math.min(attempt * 200, 5000);

export type RedisRole = 'command' | 'subscriber';

export interface RedisClientOptions {
  logger: FastifyBaseLogger;
  /** Keeps `kp_redis_up` in sync (the command connection only: it is the one requests use). */
  metrics?: Metrics;
  /**
   * `command`: fail-fast (no offline queue, small command timeout, one retry).
   * `subscriber`: the bus's SUBSCRIBE must survive outages, so it queues and never times out; ioredis
   * re-subscribes by itself after a reconnect.
   */
  role?: RedisRole;
}

export function createRedisClient(url: string, opts: RedisClientOptions): Redis {
  const role = opts.role ?? 'command';
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
    connectionName: `kp-${role}`,
  };
  const options: RedisOptions =
    role === 'command'
      ? { ...common, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1 }
      : { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null };
  const client = new Redis(url, options);
  watch(client, redactUrl(url), role, opts);
  return client;
}

/** Starts connecting; resolves when ready, or at the first failure (startup never waits for a dead Redis). */
export function connect(client: Redis): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      client.off('ready', onReady);
      client.off('error', onFail);
      client.off('close', onFail);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onFail = () => done(false);
    client.once('ready', onReady);
    client.once('error', onFail);
    client.once('close', onFail);
    // Rejects on the first failure; the retry strategy keeps reconnecting in the background regardless.
    client.connect().catch(() => {});
  });
}

function watch(client: Redis, where: string, role: RedisRole, { logger, metrics }: RedisClientOptions): void {
  const log = logger.child({ role, redis: where });
  const up = (v: 0 | 1) => role === 'command' && metrics?.redisUp.set(v);
  let lastError = '';
  up(0);
  client.on('connect', () => log.debug('redis connected'));
  client.on('ready', () => {
    lastError = '';
    up(1);
    log.info('redis ready');
  });
  client.on('error', (err: Error) => {
    // While Redis is down every reconnect attempt fails the same way: log the first, not each one.
    if (err.message === lastError) return log.debug({ err: err.message }, 'redis error');
    lastError = err.message;
    log.warn({ err: err.message }, 'redis error');
  });
  client.on('close', () => {
    up(0);
    log.debug('redis connection closed');
  });
  client.on('reconnecting', (delay: number) => log.debug({ delayMs: delay }, 'redis reconnecting'));
  client.on('end', () => {
    up(0);
    log.debug('redis connection ended');
  });
}

/** The URL without its password (and username), for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid redis url)';
  }
}

export interface RedisHealth {
  up: boolean;
  /** used_memory / maxmemory when a maxmemory is set. */
  memoryRatio?: number;
}

/** PING plus INFO memory, each bounded by the command timeout (and answered at once when disconnected). */
export async function checkRedis(client: Redis): Promise<RedisHealth> {
  if (client.status !== 'ready') return { up: false };
  try {
    const results = await client.pipeline().ping().info('memory').exec();
    if (!results || results.some(([err]) => err)) return { up: false };
    const info = String(results[1][1]);
    const used = readInfoNumber(info, 'used_memory');
    const max = readInfoNumber(info, 'maxmemory');
    return used !== undefined && max ? { up: true, memoryRatio: used / max } : { up: true };
  } catch {
    return { up: false };
  }
}

function readInfoNumber(info: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return m ? Number(m[1]) : undefined;
}
