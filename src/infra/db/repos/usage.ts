import { and, between, desc, eq, inArray, ne } from 'drizzle-orm';
import type { KeyLimits, KeyStatus } from '../../../domain/keys/types.js';
import type { TokenSplit } from '../../../domain/usage/figures.js';
import type { DayRange } from '../../../domain/usage/range.js';
import type { Db } from '../client.js';
import { apiKeys, usageDaily, users } from '../schema.js';
import type { Query } from './raw-sql.js';

/**
 * SQL of the usage read models. Every query is bounded by (user, days) or a LIMIT and served by an index
 * (tests/integration/query-plans.test.ts explains them), so each returns the query itself: awaited for rows.
 */

export type DailyRow = TokenSplit & {
  apiKeyId: string;
  day: string;
  requests: number;
  tokens: number;
  costMicros: number;
};

const dailyColumns = {
  apiKeyId: usageDaily.apiKeyId,
  day: usageDaily.day,
  requests: usageDaily.requests,
  tokens: usageDaily.tokens,
  inputTokens: usageDaily.inputTokens,
  outputTokens: usageDaily.outputTokens,
  cacheCreateTokens: usageDaily.cacheCreateTokens,
  cacheReadTokens: usageDaily.cacheReadTokens,
  costMicros: usageDaily.costMicros,
};

/** Uses usage_daily (user_id, day). */
export function dailyRows(
  db: Db,
  userId: string,
  range: Pick<DayRange, 'from' | 'to'>,
  keyIds?: string[],
): Query<DailyRow[]> {
  return db
    .select(dailyColumns)
    .from(usageDaily)
    .where(
      and(
        eq(usageDaily.userId, userId),
        between(usageDaily.day, range.from, range.to),
        keyIds ? inArray(usageDaily.apiKeyId, keyIds) : undefined,
      ),
    );
}

export interface UserKeyRow {
  id: string;
  name: string;
  status: KeyStatus;
}

/** The user's keys, deleted ones included (their history stays). */
export function userKeys(db: Db, userId: string): Query<UserKeyRow[]> {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, status: apiKeys.status })
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId));
}

export type LeaderboardSort = 'tokens' | 'requests' | 'cost';

const SORT = {
  tokens: apiKeys.totalTokens,
  requests: apiKeys.totalRequests,
  cost: apiKeys.totalCostMicros,
} as const;

export interface LeaderRow {
  keyId: string;
  name: string;
  requests: number;
  tokens: number;
  costMicros: number;
  lastUsedAt: Date | null;
}

const leaderColumns = {
  keyId: apiKeys.id,
  name: apiKeys.name,
  requests: apiKeys.totalRequests,
  tokens: apiKeys.totalTokens,
  costMicros: apiKeys.totalCostMicros,
  lastUsedAt: apiKeys.lastUsedAt,
};

/** Top keys of one user: an index scan of (user_id, total_*) backwards. Deleted keys leave the ranking. */
export function userLeaderboard(db: Db, userId: string, sortBy: LeaderboardSort, limit: number): Query<LeaderRow[]> {
  return db
    .select(leaderColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), ne(apiKeys.status, 'deleted')))
    .orderBy(desc(SORT[sortBy]), desc(apiKeys.id))
    .limit(limit);
}

/** Top keys across users (admin): an index scan of (total_*) backwards, joined to the owner. */
export function globalLeaderboard(
  db: Db,
  sortBy: LeaderboardSort,
  limit: number,
): Query<Array<LeaderRow & { owner: string }>> {
  return db
    .select({ ...leaderColumns, owner: users.displayName })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(ne(apiKeys.status, 'deleted'))
    .orderBy(desc(SORT[sortBy]), desc(apiKeys.id))
    .limit(limit);
}

export interface SummaryKeyRow {
  id: string;
  name: string;
  status: KeyStatus;
  limits: KeyLimits;
  totalCostMicros: number;
}

/** The user's keys that are not deleted, with their limits and lifetime cost (the status-bar summary). */
export function summaryKeys(db: Db, userId: string): Query<SummaryKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      status: apiKeys.status,
      limits: apiKeys.limits,
      totalCostMicros: apiKeys.totalCostMicros,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), ne(apiKeys.status, 'deleted')))
    .orderBy(apiKeys.name, apiKeys.id);
}
