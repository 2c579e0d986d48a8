import type { Redis } from 'ioredis';
import type { DefaultValues, NamespaceName } from './namespaces.js';

export type { DefaultValues, Fetched, NamespaceName } from './namespaces.js';

/**
 * The portal's cache contract (architecture.md "Cache namespaces"). Domain code only sees these interfaces;
 * src/infra/cache implements them over bentocache (memory L1, Redis L2 + bus when REDIS_URL is set).
 */

export interface Cached<T> {
  /** Shared with every other reader and deep-frozen: never mutate it. */
  value: T;
  /**
   * True when the value is older than it should be: older than the namespace's `staleAfterMs` (for CRS values,
   * their TTL). Never because a load was merely slow: a value served at the soft timeout is stale only if old.
   */
  stale: boolean;
}

export interface EntryScope {
  /** Tags the entry `user:<id>`: invalidateUser(id) drops it. */
  userId?: string;
  /** Tags the entry `key:<id>` (the portal key id): invalidateKey(id) drops it. */
  keyId?: string;
}

export interface NamespaceCache<T> {
  readonly name: NamespaceName;
  /**
   * The cached value, or the loader's (one load per key at a time per process: single-flight). With a grace
   * period, a loader that fails, or is slower than the soft timeout, serves the last good value (`stale` when it
   * is old); without one, the loader's error propagates (a loader past the namespace's hard timeout fails with
   * `upstream_unavailable`). Keys are joined as `namespace:part:part…` (`:` and `%` inside a part are
   * %-escaped). `null` is a cacheable value ("not found"); `undefined` is refused. `scope` may be computed from
   * the loaded value (e.g. a session's user, known only once loaded); it is used only when this call loads.
   */
  getOrLoad(
    key: readonly string[],
    load: () => Promise<T>,
    scope?: EntryScope | ((value: T) => EntryScope | undefined),
  ): Promise<Cached<T>>;
  /**
   * Synchronously, what getOrLoad would answer from this process's memory tier without any I/O (counted as
   * a hit, or as a stale read), or undefined when that needs a load, Redis or a wait: then call getOrLoad.
   * For the hottest paths, where even an await of a settled promise shows in the profile.
   */
  peek(key: readonly string[]): Cached<T> | undefined;
  /** The fresh cached value (never a stale one), or undefined. */
  get(key: readonly string[]): Promise<T | undefined>;
  set(key: readonly string[], value: T, scope?: EntryScope): Promise<void>;
  delete(key: readonly string[]): Promise<void>;
}

export interface NamespaceStats {
  /** Reads answered fresh from either tier without running a loader (single-flight followers included). */
  hits: number;
  /** Reads that ran the loader, or found nothing (`get`), including reads whose loader failed. */
  misses: number;
  /** Reads answered with a value past its TTL (grace); counted in neither hits nor misses. */
  stale: number;
  /** hits / (hits + misses), 0 when there were no reads. */
  hitRate: number;
}

export interface CacheHealth {
  redis: 'up' | 'down' | 'disabled';
  /** Redis used_memory / maxmemory, when Redis reports a maxmemory. */
  memoryRatio?: number;
}

export interface PortalCache<Values extends Record<NamespaceName, unknown> = DefaultValues> {
  readonly crsDashboard: NamespaceCache<Values['crs:dashboard']>;
  readonly crsTrend: NamespaceCache<Values['crs:trend']>;
  readonly crsKeyStats: NamespaceCache<Values['crs:key-stats']>;
  readonly keys: NamespaceCache<Values['keys']>;
  readonly stats: NamespaceCache<Values['stats']>;
  readonly auth: NamespaceCache<Values['auth']>;
  /** Drops every entry tagged with this user, in both tiers and (via the bus) on the other instances. */
  invalidateUser(userId: string): Promise<void>;
  invalidateKey(keyId: string): Promise<void>;
  /** Drops a whole namespace; returns how many Redis keys were deleted (SCAN + pipelined DEL, never KEYS). */
  invalidateNamespace(name: NamespaceName): Promise<number>;
  counters(): Record<NamespaceName, NamespaceStats>;
  /**
   * The fail-fast Redis command connection and this deployment's key prefix, for other state the instances share
   * (rate-limit counters); undefined without REDIS_URL.
   */
  readonly shared?: { redis: Redis; prefix: string };
  health(): Promise<CacheHealth>;
  close(): Promise<void>;
}
