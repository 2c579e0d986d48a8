import { sql } from 'drizzle-orm';
import type { CrsState, KeyLimits, KeyStatus, OperatorLocks } from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import type { KeyTotals } from './keys.js';
import { batches, batchParam, iso, rowsOf } from './raw-sql.js';

/**
 * The sync's writes (docs/decisions/009, 011): key totals, daily usage, judged key state, adopted keys. All
 * set-based, one JSON parameter per batch.
 */

/** A key's lifetime totals and last use, as CRS's usage-stats and key list say. */
export interface KeyUsageWrite extends KeyTotals {
  id: string;
  lastUsedAt: Date | null;
}

/** Weights (summing to 1) for splitting new tokens into input / output / cache create / cache read. */
export type SplitWeights = [number, number, number, number];

/** One key's day from CRS's trend, and how its new tokens split (docs/decisions/002). */
export interface DailyUpsert {
  apiKeyId: string;
  userId: string;
  day: string;
  requests: number;
  tokens: number;
  costMicros: number;
  weights: SplitWeights;
}

/** The state CRS holds for a key, judged by the sync, written only onto the row as it was read (`rev`). */
export interface KeyStateWrite {
  id: string;
  rev: number;
  name: string;
  status: KeyStatus;
  expiresAt: Date | null;
  limits: KeyLimits;
  models: string[];
  crsState: CrsState;
  locks: OperatorLocks | null;
  clearPending: boolean;
}

/** An operator's CRS key for one of the portal's users. */
export interface AdoptedKey {
  userId: string;
  crsKeyId: string;
  name: string;
  description: string;
  status: KeyStatus;
  limits: KeyLimits;
  models: string[];
  expiresAt: string | null;
  createdAt: string;
}

/** Writes key totals and last use: always (CRS's usage counters are the truth whoever changed the key). */
export async function writeKeyUpdates(db: Db, updates: KeyUsageWrite[], now: Date): Promise<void> {
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

/**
 * Writes judged states onto rows still at the `rev` the sync read: a portal write that landed meanwhile wins,
 * and the row is judged again next cycle. Returns the states written (their audit rows follow).
 */
export async function writeKeyStates<T extends KeyStateWrite>(db: Db, states: T[], now: Date): Promise<T[]> {
  const written: T[] = [];
  for (const b of batches(states)) {
    const rows = b.map((s) => ({
      id: s.id,
      rev: s.rev,
      name: s.name,
      status: s.status,
      expires_at: iso(s.expiresAt),
      limits: s.limits,
      models: s.models,
      crs_state: s.crsState,
      locks: s.locks,
      clear_pending: s.clearPending,
    }));
    const result = await db.execute(sql`
      update api_keys k set
        name = v.name, status = v.status, expires_at = v.expires_at, limits = v.limits, models = v.models,
        crs_state = v.crs_state, operator_locks = v.locks,
        deleted_at = case when v.status = 'deleted' then coalesce(k.deleted_at, ${iso(now)}::timestamptz) else null end,
        suspended = case when v.status = 'deleted' then false else k.suspended end,
        pending_write = case when v.clear_pending then null else k.pending_write end,
        rev = k.rev + 1, updated_at = ${iso(now)}::timestamptz
      from jsonb_to_recordset(${batchParam(rows)}) as v(id uuid, rev int, name text, status text,
        expires_at timestamptz, limits jsonb, models jsonb, crs_state text, locks jsonb, clear_pending boolean)
      where k.id = v.id and k.rev = v.rev
      returning k.id`);
    const ids = new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
    for (const s of b) if (ids.has(s.id)) written.push(s);
  }
  return written;
}

/** An operator's key for one of our users becomes theirs in the portal (`origin: operator`, secret unknown). */
export async function insertAdopted(
  db: Db,
  keys: AdoptedKey[],
  now: Date,
): Promise<Array<{ id: string; userId: string; name: string }>> {
  const adopted: Array<{ id: string; userId: string; name: string }> = [];
  for (const b of batches(keys)) {
    const rows = b.map((k) => ({
      user_id: k.userId,
      crs_key_id: k.crsKeyId,
      name: k.name,
      description: k.description,
      status: k.status,
      limits: k.limits,
      models: k.models,
      expires_at: k.expiresAt,
      created_at: k.createdAt,
    }));
    const result = await db.execute(sql`
      insert into api_keys (user_id, crs_key_id, name, description, status, key_prefix, key_last4, limits, models,
        expires_at, created_at, updated_at, origin)
      select v.user_id, v.crs_key_id, v.name, v.description, v.status, 'cr_', '', v.limits, v.models, v.expires_at,
        v.created_at, ${iso(now)}::timestamptz, 'operator'
      from jsonb_to_recordset(${batchParam(rows)}) as v(user_id uuid, crs_key_id text, name text, description text,
        status text, limits jsonb, models jsonb, expires_at timestamptz, created_at timestamptz)
      on conflict (crs_key_id) do nothing
      returning id, user_id as "userId", name`);
    adopted.push(...rowsOf<{ id: string; userId: string; name: string }>(result));
  }
  return adopted;
}
