import type { Db } from '../../infra/db/client.js';
import {
  type DailyRow,
  dailyRows,
  globalLeaderboard,
  type LeaderboardSort,
  rangeLeaderboard,
  userKeys,
  userLeaderboard,
} from '../../infra/db/repos/usage.js';
import { notFound } from '../errors.js';
import { fromMicros } from '../money.js';
import { aggregate, getOrAdd, toTotals, zero } from './aggregate.js';
import { openBody } from './body.js';
import type { DayRange } from './range.js';

/** The stats answers built from PostgreSQL: what the cache loaders run on a miss. Each returns cacheable JSON. */

export interface KeyRef {
  id: string;
  name: string;
  status: string;
}

/** Usage of the user's keys (or one of them) over a range; 404 for a key that is not theirs. */
export async function usageAnswer(db: Db, userId: string, r: DayRange, keyId?: string): Promise<string> {
  const [rows, keys] = await Promise.all([dailyRows(db, userId, r, keyId ? [keyId] : undefined), userKeys(db, userId)]);
  if (keyId && !keys.some((k) => k.id === keyId)) throw notFound('Key');
  const { totals, series, byKey } = aggregate(r, rows);
  // Live keys always appear (with zeros); deleted ones only when they have usage in the range.
  const perKey = keys
    .filter((k) => (keyId ? k.id === keyId : k.status !== 'deleted' || byKey.has(k.id)))
    .map((k) => {
      const t = toTotals(byKey.get(k.id) ?? zero());
      return { keyId: k.id, name: k.name, requests: t.requests, tokens: t.tokens, cost: t.cost };
    })
    .sort((a, b) => b.tokens - a.tokens || a.name.localeCompare(b.name));
  return openBody({ granularity: 'day', range: r, totals, series, perKey });
}

/** The user's keys (id, name, status): compare's fallback checks ownership against it. */
export async function keyIndexAnswer(db: Db, userId: string): Promise<string> {
  return JSON.stringify(await userKeys(db, userId));
}

/** One key's totals and series (compare's fallback loads and caches each key on its own). */
export async function keyUsageAnswer(db: Db, userId: string, r: DayRange, key: { id: string; name: string }) {
  return keyUsageJson(r, key, await dailyRows(db, userId, r, [key.id]));
}

/**
 * A comparison of some of the user's keys, whole (open JSON): like usage, the user's keys and the rows of the
 * compared ones in two parallel queries, and 404 for a key that is not theirs — so a cached comparison exists only
 * for its owner. Each key's part is what keyUsageAnswer answers for it (the sums are integers: grouping the rows
 * of several keys changes no figure).
 */
export async function compareAnswer(db: Db, userId: string, r: DayRange, keyIds: readonly string[]): Promise<string> {
  const [rows, keys] = await Promise.all([dailyRows(db, userId, r, [...keyIds]), userKeys(db, userId)]);
  const byId = new Map(keys.map((k) => [k.id, k]));
  if (keyIds.some((id) => !byId.has(id))) throw notFound('Key');
  const byKey = new Map<string, DailyRow[]>();
  for (const row of rows) getOrAdd(byKey, row.apiKeyId, () => []).push(row);
  return comparisonBody(
    r,
    keyIds.map((id) => keyUsageJson(r, byId.get(id)!, byKey.get(id) ?? [])),
  );
}

/** A comparison from its keys' parts (each a key's JSON, or the error in that key's slot), open. */
export const comparisonBody = (r: DayRange, parts: string[]) => `${openBody({ range: r })},"keys":[${parts.join(',')}]`;

function keyUsageJson(r: DayRange, key: { id: string; name: string }, rows: DailyRow[]): string {
  const { totals, series } = aggregate(r, rows);
  return JSON.stringify({ keyId: key.id, name: key.name, totals, series });
}

/**
 * Keys ranked by their lifetime totals (the default: an index scan of api_keys), or by their usage over a range of
 * CRS days (usage_daily). The answer says which: `period` and, for a range, `range`.
 */
export async function leaderboardAnswer(
  db: Db,
  userId: string,
  q: { sortBy: LeaderboardSort; limit: number; scope: 'mine' | 'all'; range?: DayRange },
): Promise<string> {
  const everyone = q.scope === 'all';
  const rows = q.range
    ? await rangeLeaderboard(db, everyone ? null : userId, q.range, q.sortBy, q.limit)
    : everyone
      ? await globalLeaderboard(db, q.sortBy, q.limit)
      : await userLeaderboard(db, userId, q.sortBy, q.limit);
  const items = rows.map(({ costMicros, lastUsedAt, ...row }, i) => ({
    rank: i + 1,
    ...row,
    cost: fromMicros(costMicros),
    lastUsedAt: lastUsedAt?.toISOString() ?? null,
  }));
  const period = q.range ? 'range' : 'lifetime';
  return openBody({ sortBy: q.sortBy, scope: q.scope, period, range: q.range ?? null, items });
}
