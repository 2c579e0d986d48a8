import { and, between, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { KeyStatus } from '../../../domain/keys/types.js';
import type { TokenSplit } from '../../../domain/usage/figures.js';
import type { DayRange } from '../../../domain/usage/range.js';
import type { Db } from '../client.js';
import { apiKeys, usageDaily, users } from '../schema.js';
import { type Query, rowsOf } from './raw-sql.js';

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

const RANGE_SORT = { tokens: sql`sum(d.tokens)`, requests: sql`sum(d.requests)`, cost: sql`sum(d.cost_micros)` };

/**
 * Top keys by their usage over a range (usage_daily), of one user (usage_daily_user_day_idx) or of every user
 * (`userId` null, the admin's board: every day row of the range). Deleted keys leave the ranking, as on the
 * lifetime board.
 */
export async function rangeLeaderboard(
  db: Db,
  userId: string | null,
  range: Pick<DayRange, 'from' | 'to'>,
  sortBy: LeaderboardSort,
  limit: number,
): Promise<Array<LeaderRow & { owner?: string }>> {
  const who = userId ? sql`and d.user_id = ${userId}::uuid` : sql``;
  const result = await db.execute(sql`
    select k.id as "keyId", k.name, sum(d.requests) as requests, sum(d.tokens) as tokens,
      sum(d.cost_micros) as "costMicros", k.last_used_at as "lastUsedAt", u.display_name as owner
    from usage_daily d join api_keys k on k.id = d.api_key_id join users u on u.id = k.user_id
    where d.day between ${range.from}::date and ${range.to}::date ${who} and k.status <> 'deleted'
    group by k.id, u.display_name
    order by ${RANGE_SORT[sortBy]} desc, k.id desc
    limit ${limit}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    keyId: r.keyId as string,
    name: r.name as string,
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    costMicros: Number(r.costMicros),
    lastUsedAt: r.lastUsedAt ? new Date(r.lastUsedAt as string) : null,
    ...(userId ? {} : { owner: r.owner as string }),
  }));
}
