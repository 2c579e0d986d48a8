import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { batches, batchParam, iso, rowsOf } from './raw-sql.js';

/** SQL of the hourly history (usage_hourly): the sync's upserts and prune, and the hourly view's read. */

/** One CRS key's hour from CRS's hourly trend (the hour as the UTC instant it starts). */
export interface HourlyUpsert {
  crsKeyId: string;
  hour: string;
  requests: number;
  tokens: number;
  costMicros: number;
}

/**
 * Upserts hours whose numbers changed, matched to the portal's keys by CRS id in the statement itself (entries
 * of keys that are not the portal's match nothing), and returns the users they belong to.
 */
export async function writeHourly(db: Db, rows: HourlyUpsert[]): Promise<Set<string>> {
  const users = new Set<string>();
  for (const b of batches(rows)) {
    const param = b.map((r) => ({ c: r.crsKeyId, h: r.hour, r: r.requests, t: r.tokens, m: r.costMicros }));
    const result = await db.execute(sql`
      insert into usage_hourly as d (api_key_id, user_id, hour, requests, tokens, cost_micros)
      select k.id, k.user_id, v.h, v.r, v.t, v.m
      from jsonb_to_recordset(${batchParam(param)}) as v(c text, h timestamptz, r bigint, t bigint, m bigint)
      join api_keys k on k.crs_key_id = v.c
      on conflict (api_key_id, hour) do update set
        requests = excluded.requests, tokens = excluded.tokens, cost_micros = excluded.cost_micros
        where (d.requests, d.tokens, d.cost_micros) is distinct from
          (excluded.requests, excluded.tokens, excluded.cost_micros)
      returning d.user_id as "userId"`);
    for (const r of rowsOf<{ userId: string }>(result)) users.add(r.userId);
  }
  return users;
}

/** Drops hours older than `before` (CRS keeps 7 days of hours; so does the portal, plus a day). */
export async function pruneHourly(db: Db, before: Date): Promise<void> {
  await db.execute(sql`delete from usage_hourly where hour < ${iso(before)}::timestamptz`);
}

export interface HourlyRow {
  apiKeyId: string;
  hour: Date;
  requests: number;
  tokens: number;
  costMicros: number;
}

/** A user's hours in [from, to) (usage_hourly_user_hour_idx), of some keys or all. */
export async function hourlyRows(
  db: Db,
  userId: string,
  from: Date,
  to: Date,
  keyIds?: string[],
): Promise<HourlyRow[]> {
  const keys = keyIds
    ? sql`and api_key_id in (select (jsonb_array_elements_text(${JSON.stringify(keyIds)}::jsonb))::uuid)`
    : sql``;
  const result = await db.execute(sql`
    select api_key_id as "apiKeyId", hour, requests, tokens, cost_micros as "costMicros"
    from usage_hourly
    where user_id = ${userId}::uuid and hour >= ${iso(from)}::timestamptz and hour < ${iso(to)}::timestamptz ${keys}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    apiKeyId: r.apiKeyId as string,
    hour: new Date(r.hour as string),
    requests: Number(r.requests),
    tokens: Number(r.tokens),
    costMicros: Number(r.costMicros),
  }));
}
