import type { AuthContext } from '../../domain/accounts/types.js';
import type { CrsDashboard, CrsModelStat, CrsTrendDay, CrsUsageRecord } from '../crs/types.js';

/**
 * The cache namespaces of docs/architecture.md §5, declared once: each one's value type, property name on PortalCache,
 * and timings. Adding a namespace is one entry here (plus its property on `PortalCache`).
 */

/** A CRS answer and when it was fetched (the `asOf` of what is built from it). */
export interface Fetched<T> {
  data: T;
  fetchedAt: string;
}

export interface NamespaceSpec<T = unknown> {
  /** The property of PortalCache that serves this namespace. */
  readonly prop: string;
  /** How long a value is fresh. */
  readonly ttlMs: number;
  /** How long after `ttlMs` the last good value may still be served when the loader fails (0: never). */
  readonly graceMs: number;
  /**
   * With a last good value at hand, how long a caller waits for the loader before being answered with that value
   * (marked stale); the load goes on in the background and refreshes the entry. Only with grace.
   */
  readonly softTimeoutMs?: number;
  /** The longest a loader may run: past it the caller gets `upstream_unavailable` and the single-flight lock is freed. */
  readonly hardTimeoutMs: number;
  /**
   * A value older than this is answered `stale: true` (older than it should be), however it came to be served —
   * a failed or a slow load alike. Absent: never stale by the cache's account (the caller judges freshness).
   */
  readonly staleAfterMs?: number;
  /**
   * While no invalidation path is connected (neither the Redis bus nor the database's channel), a memory entry
   * older than this is not trusted: it is read again. For values another instance may revoke (sessions).
   */
  readonly incoherentTtlMs?: number;
  /** Type carrier only (never set). */
  readonly _value?: T;
}

const spec = <T>(s: Omit<NamespaceSpec<T>, '_value'>): NamespaceSpec<T> => s;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const NAMESPACES = {
  // CRS origins: slow (seconds for per-key stats, docs/crs.md §8) and flaky; the CRS client's own timeout is 10 s,
  // so the hard cap sits above it and the client's error (mapped to our codes) is what callers normally see.
  'crs:dashboard': spec<Fetched<CrsDashboard>>({
    prop: 'crsDashboard',
    ttlMs: 60 * SECOND,
    graceMs: HOUR,
    staleAfterMs: 60 * SECOND,
    softTimeoutMs: 1500,
    hardTimeoutMs: 15 * SECOND,
  }),
  'crs:trend': spec<Fetched<CrsTrendDay[]>>({
    prop: 'crsTrend',
    ttlMs: 300 * SECOND,
    graceMs: HOUR,
    staleAfterMs: 300 * SECOND,
    softTimeoutMs: 1500,
    hardTimeoutMs: 15 * SECOND,
  }),
  'crs:key-stats': spec<Fetched<CrsModelStat[] | CrsUsageRecord[]>>({
    prop: 'crsKeyStats',
    ttlMs: 60 * SECOND,
    graceMs: HOUR,
    staleAfterMs: 60 * SECOND,
    softTimeoutMs: 1500,
    hardTimeoutMs: 15 * SECOND,
  }),
  // PostgreSQL origins: fast (p99 ≤ 20 ms uncached), so a slow answer means the database is in trouble.
  // `keys` and `stats` hold HTTP answers pre-serialised: a hit is sent as-is, with no JSON work on the hot path.
  // No staleAfterMs: their entries are dropped whenever their data changes, so a graced one (served because the
  // database was slow or failing) holds the database's current numbers; how old those are is the sync's
  // freshness (domain/usage/freshness.ts), which every stats answer carries.
  keys: spec<string>({ prop: 'keys', ttlMs: 60 * SECOND, graceMs: 0, hardTimeoutMs: 5 * SECOND }),
  stats: spec<string>({
    prop: 'stats',
    ttlMs: 60 * SECOND,
    graceMs: 10 * MINUTE,
    softTimeoutMs: 250,
    hardTimeoutMs: 5 * SECOND,
  }),
  // No grace: a revoked session must never be served from the cache; and while no invalidation path is
  // connected, a session is re-read after a second (a revocation on another instance could not reach us).
  auth: spec<AuthContext | null>({
    prop: 'auth',
    ttlMs: 30 * SECOND,
    graceMs: 0,
    hardTimeoutMs: 5 * SECOND,
    incoherentTtlMs: SECOND,
  }),
} as const satisfies Record<string, NamespaceSpec>;

export type NamespaceName = keyof typeof NAMESPACES;

export const NAMESPACE_NAMES = Object.keys(NAMESPACES) as NamespaceName[];

/** What each namespace holds (the `T` of its spec). */
export type DefaultValues = {
  [N in NamespaceName]: (typeof NAMESPACES)[N] extends NamespaceSpec<infer T> ? T : never;
};

/** How long a Redis tag set must outlive the entries it lists (an entry is kept its grace period, or its TTL). */
export const LONGEST_PHYSICAL_TTL_MS = Math.max(
  ...Object.values(NAMESPACES).map((s: NamespaceSpec) => Math.max(s.ttlMs, s.graceMs)),
);

/* The namespaces' interface (the engine's; the rest of the code goes through entries.ts). */

/** An answer of the cache. */
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

/**
 * One namespace of the engine, addressed by raw key parts. Only entries.ts and the cache's own tests and
 * benchmark use it (through `CacheEngine.namespaces`): a caller that spelled a key by hand could miss the tags
 * its invalidation depends on.
 */
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

/** The namespaces of the engine, by their property names (namespaces.ts `prop`). */
export interface Namespaces<Values extends Record<NamespaceName, unknown> = DefaultValues> {
  readonly crsDashboard: NamespaceCache<Values['crs:dashboard']>;
  readonly crsTrend: NamespaceCache<Values['crs:trend']>;
  readonly crsKeyStats: NamespaceCache<Values['crs:key-stats']>;
  readonly keys: NamespaceCache<Values['keys']>;
  readonly stats: NamespaceCache<Values['stats']>;
  readonly auth: NamespaceCache<Values['auth']>;
}
