import type { Cached, DefaultValues, EntryScope, NamespaceCache, Namespaces } from './namespaces.js';

/**
 * Every kind of cache entry, declared once, next to the namespaces (docs/architecture.md §5). A builder owns
 * its entry's key (so two kinds, or two different arguments, never share one), its tags (what
 * `invalidateUser` / `invalidateKey` / `invalidateCrossUser` drop it with) and its namespace (timings,
 * `invalidateNamespace`). Nothing outside this file spells a key: the raw namespaces are not part of
 * `PortalCache`.
 *
 * Keys are parts joined with `:` (`:` and `%` inside a part escaped, keys.ts), so an id can never pose as two
 * parts. An optional argument changes the number of parts rather than standing for a sentinel value.
 */

/** One entry, as its builder addressed it. */
export class CacheEntry<T> {
  /** Tags by `userId` / `keyId` (EntryScope), kept as fields: the warm read, which needs none, allocates none. */
  constructor(
    private readonly ns: NamespaceCache<T>,
    private readonly parts: readonly string[],
    private readonly userId?: string,
    private readonly keyId?: string,
  ) {}

  /** The memory tier's answer, synchronously (the warm read: docs/decisions/008), or undefined: then getOrLoad. */
  peek(): Cached<T> | undefined {
    return this.ns.peek(this.parts);
  }

  /** The cached value, or `load`'s, tagged with the builder's scope (NamespaceCache.getOrLoad has the rules). */
  getOrLoad(load: () => Promise<T>): Promise<Cached<T>> {
    const scope: EntryScope | undefined =
      this.userId === undefined && this.keyId === undefined ? undefined : { userId: this.userId, keyId: this.keyId };
    return this.ns.getOrLoad(this.parts, load, scope);
  }

  /** Drops the entry in both tiers and on the other instances (e.g. a revoked session). */
  delete(): Promise<void> {
    return this.ns.delete(this.parts);
  }

  /** `<namespace>:[parts]`: what makes two entries the same one (for tests and logs). */
  get id(): string {
    return `${this.ns.name}:${JSON.stringify(this.parts)}`;
  }
}

/**
 * The owner (user tag) of the entries that sum over every user, which `invalidateCrossUser` drops: a user id is
 * a UUID, so it is never this.
 */
export const EVERYONE = 'all';

interface Range {
  from: string;
  to: string;
}

/** The key-list query as far as it selects rows (domain/keys ListKeysQuery). */
export interface KeyListQuery {
  status?: string;
  sort: string;
  order: string;
  page: number;
  pageSize: number;
  search?: string;
}

type V = DefaultValues;

export function createEntries(ns: Namespaces) {
  return {
    /** A session's context by its token hash, or null ("no such session"). Untagged: revocations delete it. */
    session: (tokenHash: string) => new CacheEntry<V['auth']>(ns.auth, [tokenHash]),

    /** A personal access token's context by its hash, or null. Two parts: never the same key as a session's. */
    accessToken: (tokenHash: string) => new CacheEntry<V['auth']>(ns.auth, ['pat', tokenHash]),

    /** A user's compact summary for status bars (/api/me/summary), as open JSON. */
    meSummary: (userId: string) => new CacheEntry<V['stats']>(ns.stats, ['me-summary', userId], userId),

    /** One page of a user's key list, as JSON. */
    keyList: ({ userId, query: q }: { userId: string; query: KeyListQuery }) =>
      new CacheEntry<V['keys']>(
        ns.keys,
        ['list', userId, q.status ?? '', q.sort, q.order, String(q.page), String(q.pageSize), q.search ?? ''],
        userId,
      ),

    /** A user's usage over a range, of one key or (no keyId) of all their keys, as open JSON. */
    usage: ({ userId, range, keyId }: { userId: string; range: Range; keyId?: string }) =>
      new CacheEntry<V['stats']>(
        ns.stats,
        keyId === undefined ? ['usage', userId, range.from, range.to] : ['usage', userId, range.from, range.to, keyId],
        userId,
        keyId,
      ),

    /** A comparison of some of the user's keys, whole (a view over its compareKey entries, dropped with them). */
    compare: ({ userId, range, keyIds }: { userId: string; range: Range; keyIds: readonly string[] }) =>
      new CacheEntry<V['stats']>(ns.stats, ['compare', userId, range.from, range.to, ...keyIds], userId),

    /** One key's totals and series: compare's unit, shared by every comparison that shows the key. */
    compareKey: ({ userId, range, keyId }: { userId: string; range: Range; keyId: string }) =>
      new CacheEntry<V['stats']>(ns.stats, ['compare-key', userId, range.from, range.to, keyId], userId, keyId),

    /** The ids and names of a user's keys, as JSON (what compare checks ownership with). */
    keyIndex: (userId: string) => new CacheEntry<V['stats']>(ns.stats, ['key-index', userId], userId),

    /**
     * A leaderboard: of the user's own keys, or (`everyone`, the admin's view) of all users' keys — dropped by
     * `invalidateCrossUser`, which the sync calls whenever any usage changed.
     */
    leaderboard: ({ userId, everyone, sortBy, limit, range }: LeaderboardArgs) => {
      const period = range ? [range.from, range.to] : [];
      return everyone
        ? new CacheEntry<V['stats']>(ns.stats, ['leaderboard-all', sortBy, String(limit), ...period], EVERYONE)
        : new CacheEntry<V['stats']>(ns.stats, ['leaderboard', userId, sortBy, String(limit), ...period], userId);
    },

    /** A user's hourly usage over a range of CRS days, of one key or all, as open JSON. */
    hourlyUsage: ({ userId, range, keyId }: { userId: string; range: Range; keyId?: string }) =>
      new CacheEntry<V['stats']>(
        ns.stats,
        keyId === undefined
          ? ['usage-hour', userId, range.from, range.to]
          : ['usage-hour', userId, range.from, range.to, keyId],
        userId,
        keyId,
      ),

    /** A user's spend summary: the range, and `today` (its today and month figures change with CRS's day). */
    summary: ({ userId, range, today }: { userId: string; range: Range; today: string }) =>
      new CacheEntry<V['stats']>(ns.stats, ['summary', userId, today, range.from, range.to], userId),

    /** A user's monthly statement (month = YYYY-MM, CRS's calendar). */
    statement: ({ userId, month }: { userId: string; month: string }) =>
      new CacheEntry<V['stats']>(ns.stats, ['statement', userId, month], userId),

    /** Every user's totals of a month (the operator's statement): dropped with the cross-user entries. */
    adminStatement: (month: string) => new CacheEntry<V['stats']>(ns.stats, ['statement-all', month], EVERYONE),

    /** CRS's dashboard: global, dropped by its TTL or a purge only. */
    crsDashboard: () => new CacheEntry<V['crs:dashboard']>(ns.crsDashboard, ['global']),

    /** CRS's global daily trend of the last 30 days. */
    crsTrend: () => new CacheEntry<V['crs:trend']>(ns.crsTrend, ['30d']),

    /** One key's per-model breakdown over a range, from CRS. */
    keyModels: ({ userId, keyId, range }: { userId: string; keyId: string; range: Range }) =>
      new CacheEntry<V['crs:key-stats']>(ns.crsKeyStats, ['models', keyId, range.from, range.to], userId, keyId),

    /** One key's latest requests, from CRS. */
    keyRequests: ({ userId, keyId }: { userId: string; keyId: string }) =>
      new CacheEntry<V['crs:key-stats']>(ns.crsKeyStats, ['requests', keyId], userId, keyId),
  };
}

interface LeaderboardArgs {
  userId: string;
  /** The admin's board across all users (the caller checks the role). */
  everyone: boolean;
  sortBy: string;
  limit: number;
  /** Ranked by the usage of these CRS days; absent: by lifetime totals. */
  range?: Range;
}

export type CacheEntries = ReturnType<typeof createEntries>;
