import type { Redis } from 'ioredis';
import type { CacheEntries } from './entries.js';
import type { NamespaceName, Namespaces } from './namespaces.js';

export type { CacheEntries, CacheEntry } from './entries.js';
export type {
  Cached,
  DefaultValues,
  EntryScope,
  Fetched,
  NamespaceCache,
  NamespaceName,
  Namespaces,
} from './namespaces.js';

/**
 * The portal's cache contract (docs/architecture.md §5). The rest of the code reads and writes entries through
 * `PortalCache.entries` (entries.ts: one builder per kind of entry, owning its key and its tags) and sees only
 * these interfaces; src/infra/cache implements them (memory L1; Redis L2 and bus when REDIS_URL is set).
 */

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

export interface PortalCache {
  /** Every kind of entry, by its builder: `cache.entries.usage({ userId, range, keyId }).getOrLoad(load)`. */
  readonly entries: CacheEntries;
  /** Drops every entry tagged with this user, in both tiers and (via the bus) on the other instances. */
  invalidateUser(userId: string): Promise<void>;
  invalidateKey(keyId: string): Promise<void>;
  /** Drops the entries that sum over every user (the admin's cross-user leaderboard): after any usage change. */
  invalidateCrossUser(): Promise<void>;
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

/** What createCache returns: the contract, plus the raw namespaces for the cache's own tests and benchmark. */
export interface CacheEngine extends PortalCache {
  readonly namespaces: Namespaces;
}
