import type { AuthContext } from '../../domain/accounts/types.js';
import type { CrsDashboard, CrsModelStat, CrsTrendDay, CrsUsageRecord } from '../crs/types.js';

/**
 * The cache namespaces of architecture.md, declared once: each one's value type, property name on PortalCache,
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
  // CRS origins: slow (seconds for per-key stats, reference §6) and flaky; the CRS client's own timeout is 10 s,
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

/** How long a Redis tag set must outlive the entries it lists (bentocache keeps an entry `grace` or `ttl`). */
export const LONGEST_PHYSICAL_TTL_MS = Math.max(
  ...Object.values(NAMESPACES).map((s: NamespaceSpec) => Math.max(s.ttlMs, s.graceMs)),
);
