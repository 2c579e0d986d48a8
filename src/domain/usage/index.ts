import type { Deps } from '../../deps.js';
import { AppError, notFound } from '../errors.js';
import { fromMicros } from '../money.js';
import { aggregate, toTotals, zero } from './aggregate.js';
import { closeBody, openBody } from './body.js';
import type { FreshnessSource } from './freshness.js';
import { type DayRange, type RangeQuery, resolveRange } from './range.js';
import { dailyRows, globalLeaderboard, type LeaderboardSort, userKeys, userLeaderboard } from './repo.js';

export type StatsService = ReturnType<typeof createStats>;

/**
 * Usage, compare and leaderboard: read from the cache, then PostgreSQL — never from CRS. Every answer is a
 * ready-to-send JSON string.
 */
export function createStats(deps: Deps, freshness: FreshnessSource) {
  const { db } = deps.database;
  const range = (q: RangeQuery) => resolveRange(q, deps.clock(), deps.config.crs.timezoneOffset);

  /** The user's keys (id, name, status), cached: compare checks ownership on every request. */
  async function keyIndex(userId: string): Promise<Map<string, KeyRef>> {
    const { value } = await deps.cache.stats.getOrLoad(
      ['key-index', userId],
      async () => JSON.stringify(await userKeys(db, userId)),
      { userId },
    );
    return new Map((JSON.parse(value) as KeyRef[]).map((k) => [k.id, k]));
  }

  /** One key's totals and series (compare's unit of caching: each key on its own). */
  async function keyUsage(userId: string, r: DayRange, key: { id: string; name: string }) {
    const { value } = await deps.cache.stats.getOrLoad(
      ['compare-key', userId, r.from, r.to, key.id],
      async () => {
        const { totals, series } = aggregate(r, await dailyRows(db, userId, r, [key.id]));
        return JSON.stringify({ keyId: key.id, name: key.name, totals, series });
      },
      { userId, keyId: key.id },
    );
    return value;
  }

  return {
    async usageJson(userId: string, q: RangeQuery & { keyId?: string }): Promise<string> {
      const r = range(q);
      // Ownership is checked inside the loader: a cached entry exists only for the owner's key.
      const cached = await deps.cache.stats.getOrLoad(
        ['usage', userId, r.from, r.to, q.keyId ?? 'all'],
        async () => {
          const [rows, keys] = await Promise.all([
            dailyRows(db, userId, r, q.keyId ? [q.keyId] : undefined),
            userKeys(db, userId),
          ]);
          if (q.keyId && !keys.some((k) => k.id === q.keyId)) throw notFound('Key');
          const { totals, series, byKey } = aggregate(r, rows);
          // Live keys always appear (with zeros); deleted ones only when they have usage in the range.
          const perKey = keys
            .filter((k) => (q.keyId ? k.id === q.keyId : k.status !== 'deleted' || byKey.has(k.id)))
            .map((k) => {
              const t = toTotals(byKey.get(k.id) ?? zero());
              return { keyId: k.id, name: k.name, requests: t.requests, tokens: t.tokens, cost: t.cost };
            })
            .sort((a, b) => b.tokens - a.tokens || a.name.localeCompare(b.name));
          return openBody({ range: r, totals, series, perKey });
        },
        { userId, keyId: q.keyId },
      );
      return closeBody(cached.value, await freshness.get(), cached.stale);
    },

    async compareJson(userId: string, keyIds: string[], q: RangeQuery): Promise<string> {
      const r = range(q);
      const byId = await keyIndex(userId);
      const missing = keyIds.find((id) => !byId.has(id));
      if (missing) throw notFound('Key');
      const parts = await Promise.all(
        keyIds.map((id) =>
          keyUsage(userId, r, byId.get(id)!).catch((e: unknown) => {
            const err = e instanceof AppError ? e : new AppError('internal', 'This key could not be loaded');
            deps.logger.warn({ keyId: id, code: err.code }, 'compare: one key failed');
            return JSON.stringify({ keyId: id, error: { code: err.code, message: err.message } });
          }),
        ),
      );
      return closeBody(`${openBody({ range: r })},"keys":[${parts.join(',')}]`, await freshness.get());
    },

    async leaderboardJson(
      userId: string,
      q: { sortBy: LeaderboardSort; limit: number; scope: 'mine' | 'all'; isAdmin: boolean },
    ): Promise<string> {
      if (q.scope === 'all' && !q.isAdmin) throw new AppError('forbidden', 'scope=all needs the admin role');
      const owner = q.scope === 'all' ? 'all' : userId;
      const cached = await deps.cache.stats.getOrLoad(
        ['leaderboard', owner, q.sortBy, String(q.limit)],
        async () => {
          const rows =
            q.scope === 'all'
              ? await globalLeaderboard(db, q.sortBy, q.limit)
              : await userLeaderboard(db, userId, q.sortBy, q.limit);
          const items = rows.map(({ costMicros, lastUsedAt, ...row }, i) => ({
            rank: i + 1,
            ...row,
            cost: fromMicros(costMicros),
            lastUsedAt: lastUsedAt?.toISOString() ?? null,
          }));
          return openBody({ sortBy: q.sortBy, scope: q.scope, items });
        },
        // The cross-user board is tagged as pseudo-user "all": the sync drops it whenever any key changes.
        { userId: q.scope === 'all' ? 'all' : userId },
      );
      return closeBody(cached.value, await freshness.get(), cached.stale);
    },
  };
}

interface KeyRef {
  id: string;
  name: string;
  status: string;
}
