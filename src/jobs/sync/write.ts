import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import type { DailyUpsert, KeyUpdate } from './plan.js';

/**
 * The sync's SQL. Everything is set-based (one JSON parameter per batch) in batches, so a cycle over 100,000 keys
 * is a handful of statements, not 100,000 round trips.
 */

const BATCH = 5000;

export function* batches<T>(items: T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export const iso = (d: Date | null) => d?.toISOString() ?? null;

/** One statement parameter holding a whole batch: `jsonb_to_recordset` turns it back into typed rows. */
export const batchParam = (rows: object[]) => sql`${JSON.stringify(rows)}::jsonb`;

/** Writes key totals and last use: always (CRS's usage counters are the truth whoever changed the key). */
export async function writeKeyUpdates(db: Db, updates: KeyUpdate[], now: Date) {
  for (const b of batches(updates)) {
    const rows = b.map((u) => ({
      id: u.id,
      last_used_at: iso(u.lastUsedAt),
      req: u.totalRequests,
      tok: u.totalTokens,
      inp: u.inputTokens,
      outp: u.outputTokens,
      cc: u.cacheCreateTokens,
      cr: u.cacheReadTokens,
      cost: u.totalCostMicros,
    }));
    await db.execute(sql`
      update api_keys k set
        last_used_at = v.last_used_at,
        total_requests = v.req, total_tokens = v.tok, input_tokens = v.inp, output_tokens = v.outp,
        cache_create_tokens = v.cc, cache_read_tokens = v.cr, total_cost_micros = v.cost,
        usage_synced_at = ${iso(now)}::timestamptz
      from jsonb_to_recordset(${batchParam(rows)}) as v(id uuid, last_used_at timestamptz, req bigint, tok bigint,
        inp bigint, outp bigint, cc bigint, cr bigint, cost bigint)
      where k.id = v.id`);
  }
}

/**
 * Upserts daily rows whose numbers changed and returns the users they belong to. The token split of a row
 * grows by the new tokens split with the key's weights; cache_read takes the rounding remainder, so
 * input + output + cache create + cache read = tokens on every row (docs/decisions/002).
 */
export async function writeDaily(db: Db, rows: DailyUpsert[]): Promise<Set<string>> {
  const users = new Set<string>();
  for (const b of batches(rows)) {
    const param = b.map((r) => ({
      api_key_id: r.apiKeyId,
      user_id: r.userId,
      day: r.day,
      requests: r.requests,
      tokens: r.tokens,
      cost_micros: r.costMicros,
      w0: r.weights[0],
      w1: r.weights[1],
      w2: r.weights[2],
    }));
    const result = await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${batchParam(param)}) as v(api_key_id uuid, user_id uuid, day date,
          requests bigint, tokens bigint, cost_micros bigint, w0 float8, w1 float8, w2 float8)
      ), changed as (
        select v.*, d.tokens is not null and v.tokens >= d.tokens as inc,
          coalesce(d.tokens, 0) as o_tok, coalesce(d.input_tokens, 0) as o_in,
          coalesce(d.output_tokens, 0) as o_out, coalesce(d.cache_create_tokens, 0) as o_cc
        from v left join usage_daily d on d.api_key_id = v.api_key_id and d.day = v.day
        where d.api_key_id is null
           or (d.requests, d.tokens, d.cost_micros) is distinct from (v.requests, v.tokens, v.cost_micros)
      ), split as (
        select *, case when inc then tokens - o_tok else tokens end as delta from changed
      ), parts as (
        select *,
          (case when inc then o_in else 0 end) + floor(delta * w0)::bigint as i,
          (case when inc then o_out else 0 end) + floor(delta * w1)::bigint as o,
          (case when inc then o_cc else 0 end) + floor(delta * w2)::bigint as c
        from split
      )
      insert into usage_daily (api_key_id, user_id, day, requests, tokens, input_tokens, output_tokens,
        cache_create_tokens, cache_read_tokens, cost_micros)
      select api_key_id, user_id, day, requests, tokens, i, o, c, tokens - i - o - c, cost_micros from parts
      on conflict (api_key_id, day) do update set
        requests = excluded.requests, tokens = excluded.tokens, input_tokens = excluded.input_tokens,
        output_tokens = excluded.output_tokens, cache_create_tokens = excluded.cache_create_tokens,
        cache_read_tokens = excluded.cache_read_tokens, cost_micros = excluded.cost_micros
      returning user_id as "userId"`);
    for (const r of rowsOf<{ userId: string }>(result)) users.add(r.userId);
  }
  return users;
}
