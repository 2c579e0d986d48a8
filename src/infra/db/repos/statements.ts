import { sql } from 'drizzle-orm';
import type { DayRange } from '../../../domain/usage/range.js';
import type { Db } from '../client.js';
import { rowsOf } from './raw-sql.js';
import type { DailyRow } from './usage.js';

/** SQL of the operator's monthly statement: every user's totals over a range of days (usage_daily). */

export interface UserTotalsRow extends Omit<DailyRow, 'apiKeyId' | 'day'> {
  userId: string;
  email: string;
  displayName: string;
  /** Keys with usage in the range. */
  keys: number;
}

/** Every user, with zeros when they used nothing: a shared bill is split over everyone who shares it. */
export async function everyUsersTotals(db: Db, range: Pick<DayRange, 'from' | 'to'>): Promise<UserTotalsRow[]> {
  const result = await db.execute(sql`
    with t as (
      select user_id, count(distinct api_key_id) as keys, sum(requests) as requests, sum(tokens) as tokens,
        sum(input_tokens) as i, sum(output_tokens) as o, sum(cache_create_tokens) as cc,
        sum(cache_read_tokens) as cr, sum(cost_micros) as c
      from usage_daily where day between ${range.from}::date and ${range.to}::date
      group by user_id
    )
    select u.id as "userId", u.email, u.display_name as "displayName", coalesce(t.keys, 0) as keys,
      coalesce(t.requests, 0) as requests, coalesce(t.tokens, 0) as tokens, coalesce(t.i, 0) as i,
      coalesce(t.o, 0) as o, coalesce(t.cc, 0) as cc, coalesce(t.cr, 0) as cr, coalesce(t.c, 0) as c
    from users u left join t on t.user_id = u.id
    order by coalesce(t.c, 0) desc, u.email`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    userId: r.userId as string,
    email: r.email as string,
    displayName: r.displayName as string,
    keys: Number(r.keys),
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    inputTokens: Number(r.i),
    outputTokens: Number(r.o),
    cacheCreateTokens: Number(r.cc),
    cacheReadTokens: Number(r.cr),
    costMicros: Number(r.c),
  }));
}
