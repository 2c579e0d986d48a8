import type { AuthContext } from '../../domain/accounts/types.js';
import type { CrsDashboard, CrsModelStat, CrsTrendDay, CrsUsageRecord } from '../crs/types.js';

/**
 * The portal's cache contract (architecture.md "Cache namespaces"). Domain code only sees these interfaces;
 * src/infra/cache implements them over bentocache (memory L1, Redis L2 + bus when REDIS_URL is set).
 */

export type NamespaceName = 'crs:dashboard' | 'crs:trend' | 'crs:key-stats' | 'keys' | 'stats' | 'auth';

export interface Cached<T> {
  value: T;
  /** True when the loader failed and the last good value was served from the grace period. */
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
   * period, a loader that fails or exceeds the hard timeout serves the last good value with `stale: true`;
   * without one, the loader's error propagates. Keys are joined as `namespace:part:part…`.
   */
  getOrLoad(key: readonly string[], load: () => Promise<T>, scope?: EntryScope): Promise<Cached<T>>;
  get(key: readonly string[]): Promise<T | undefined>;
  set(key: readonly string[], value: T, scope?: EntryScope): Promise<void>;
  delete(key: readonly string[]): Promise<void>;
}

export interface NamespaceStats {
  hits: number;
  misses: number;
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
  health(): Promise<CacheHealth>;
  close(): Promise<void>;
}

/**
 * What each namespace holds. HTTP answers that are read hot (`keys`, `stats`) are stored pre-serialised: a hit
 * is sent as-is, with no JSON work on the hot path.
 */
export interface DefaultValues extends Record<NamespaceName, unknown> {
  'crs:dashboard': Fetched<CrsDashboard>;
  'crs:trend': Fetched<CrsTrendDay[]>;
  'crs:key-stats': Fetched<CrsModelStat[] | CrsUsageRecord[]>;
  keys: string;
  stats: string;
  auth: AuthContext | null;
}

/** A CRS answer and when it was fetched (the `asOf` of what is built from it). */
export interface Fetched<T> {
  data: T;
  fetchedAt: string;
}
