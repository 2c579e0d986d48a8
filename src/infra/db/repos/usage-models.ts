import { sql } from 'drizzle-orm';
import type { DayRange } from '../../../domain/usage/range.js';
import type { Db } from '../client.js';
import { batchParam, iso, rowsOf } from './raw-sql.js';
import type { DailyRow } from './usage.js';

/** SQL of the per-model history (usage_daily_model): the sync's writes and the reads that split by model. */

/** One key's day for one model, exactly as CRS's per-key model statistics say. */
export interface ModelDayRow extends DailyRow {
  model: string;
}

/**
 * Replaces one key's models of one day with what CRS said (a day's buckets only grow, but a whole replacement needs
 * no rule about models that vanish).
 */
export async function replaceModelDay(db: Db, userId: string, apiKeyId: string, day: string, rows: ModelDayRow[]) {
  await db.execute(sql`delete from usage_daily_model where api_key_id = ${apiKeyId}::uuid and day = ${day}::date`);
  if (rows.length === 0) return;
  const param = rows.map((r) => ({
    m: r.model,
    r: r.requests,
    t: r.tokens,
    i: r.inputTokens,
    o: r.outputTokens,
    cc: r.cacheCreateTokens,
    cr: r.cacheReadTokens,
    c: r.costMicros,
  }));
  await db.execute(sql`
    insert into usage_daily_model (api_key_id, user_id, day, model, requests, tokens, input_tokens, output_tokens,
      cache_create_tokens, cache_read_tokens, cost_micros)
    select ${apiKeyId}::uuid, ${userId}::uuid, ${day}::date, v.m, v.r, v.t, v.i, v.o, v.cc, v.cr, v.c
    from jsonb_to_recordset(${batchParam(param)}) as v(m text, r bigint, t bigint, i bigint, o bigint, cc bigint,
      cr bigint, c bigint)`);
}

/**
 * Where a key's day is complete — its model rows add up to its daily row in requests, tokens and cost — the daily
 * row takes the models' exact token split instead of the one the sync attributed (docs/decisions/002, 025). Only
 * days from `fromDay` of keys whose models were read since `readSince`: the days a late trend may just have
 * completed. Returns the users whose rows changed.
 */
export async function exactSplitFromModels(db: Db, fromDay: string, readSince: Date): Promise<Set<string>> {
  const result = await db.execute(sql`
    with m as (
      select api_key_id, day, sum(requests) as r, sum(tokens) as t, sum(input_tokens) as i,
        sum(output_tokens) as o, sum(cache_create_tokens) as cc, sum(cache_read_tokens) as cr, sum(cost_micros) as c
      from usage_daily_model
      where day >= ${fromDay}::date
        and api_key_id in (select api_key_id from key_crs_reads where models_read_at >= ${iso(readSince)}::timestamptz)
      group by api_key_id, day
    )
    update usage_daily d set input_tokens = m.i, output_tokens = m.o, cache_create_tokens = m.cc,
      cache_read_tokens = m.cr
    from m
    where d.api_key_id = m.api_key_id and d.day = m.day
      and d.requests = m.r and d.tokens = m.t and d.cost_micros = m.c
      and (d.input_tokens, d.output_tokens, d.cache_create_tokens, d.cache_read_tokens)
        is distinct from (m.i, m.o, m.cc, m.cr)
    returning d.user_id as "userId"`);
  return new Set(rowsOf<{ userId: string }>(result).map((r) => r.userId));
}

/** A user's model rows over a range (usage_daily_model_user_day_idx), of some keys or all. */
export async function modelRows(
  db: Db,
  userId: string,
  range: Pick<DayRange, 'from' | 'to'>,
  keyIds?: string[],
): Promise<ModelDayRow[]> {
  const keys = keyIds
    ? sql`and api_key_id in (select (jsonb_array_elements_text(${JSON.stringify(keyIds)}::jsonb))::uuid)`
    : sql``;
  const result = await db.execute(sql`
    select api_key_id as "apiKeyId", day::text as day, model, requests, tokens, input_tokens as "inputTokens",
      output_tokens as "outputTokens", cache_create_tokens as "cacheCreateTokens",
      cache_read_tokens as "cacheReadTokens", cost_micros as "costMicros"
    from usage_daily_model
    where user_id = ${userId}::uuid and day between ${range.from}::date and ${range.to}::date ${keys}`);
  return rowsOf<Record<string, unknown>>(result).map(toModelRow);
}

export const toModelRow = (r: Record<string, unknown>): ModelDayRow => ({
  apiKeyId: r.apiKeyId as string,
  day: String(r.day).slice(0, 10),
  model: r.model as string,
  requests: Number(r.requests),
  tokens: Number(r.tokens),
  inputTokens: Number(r.inputTokens),
  outputTokens: Number(r.outputTokens),
  cacheCreateTokens: Number(r.cacheCreateTokens),
  cacheReadTokens: Number(r.cacheReadTokens),
  costMicros: Number(r.costMicros),
});
