import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { iso, rowsOf } from './raw-sql.js';

/**
 * The sync's usage writes, set-based from its staging tables (sync-staging.ts, docs/decisions/031): daily rows
 * with their token split (docs/decisions/002), key totals, adopted keys. Each statement covers a bounded slice
 * of the staged rows, so none runs long at 100,000 keys; the caller runs them in one transaction.
 */

/** Users whose numbers a statement changed, and how many rows it wrote. */
export interface Written {
  users: string[];
  rows: number;
}

/** Staged trend entries per statement, and key rows per statement. */
const DAILY_SLICE = 10_000;
const KEY_SLICE = 10_000;

const usersOf = (result: unknown): Written & { decreased?: boolean } => {
  const [r] = rowsOf<{ users: string[] | null; n: string | number; decreased?: boolean }>(result);
  return { users: r?.users ?? [], rows: Number(r?.n ?? 0), decreased: r?.decreased };
};

/** The staged trend's sequence numbers, in slices of `size`: [from, to] each. */
export async function trendSlices(db: Db, size = DAILY_SLICE): Promise<Array<[number, number]>> {
  const [r] = rowsOf<{ lo: string | null; hi: string | null }>(
    await db.execute(sql`select min(seq) as lo, max(seq) as hi from sync_trend`),
  );
  if (r?.lo == null || r.hi == null) return [];
  const out: Array<[number, number]> = [];
  for (let lo = Number(r.lo); lo <= Number(r.hi); lo += size) out.push([lo, Math.min(lo + size - 1, Number(r.hi))]);
  return out;
}

/**
 * Upserts the daily rows of one slice of the trend whose numbers changed, for the portal's keys. The token split
 * of a row grows by its new tokens split with the key's weights: the split of what it used since the last sync
 * (CRS's lifetime split now, `anchored`, minus the row's), else its lifetime ratio; cache_read takes the rounding
 * remainder, so input + output + cache create + cache read = tokens on every row (docs/decisions/002). What each
 * key's rows grew by is kept in sync_increments (the totals of a cycle without usage-stats). `decreased`: a day
 * CRS now counts lower than the portal did.
 */
export async function writeDailySlice(
  db: Db,
  o: { anchored: boolean; from: number; to: number },
): Promise<Written & { decreased: boolean }> {
  const anchored = sql`${o.anchored}::boolean`;
  const pick = (field: string) => sql`case when ${anchored} then u.${sql.raw(field)} else r.${sql.raw(field)} end`;
  const result = await db.execute(sql`
    with v0 as (
      select r.id as api_key_id, r.user_id, t.day, t.requests, t.tokens, t.cost_micros,
        (${anchored} and u.crs_key_id is null) as no_usage,
        r.input_tokens as b0, r.output_tokens as b1, r.cache_create_tokens as b2, r.cache_read_tokens as b3,
        ${pick('input_tokens')} as n0, ${pick('output_tokens')} as n1, ${pick('cache_create_tokens')} as n2,
        ${pick('cache_read_tokens')} as n3
      from sync_trend t
      join sync_rows r on r.crs_key_id = t.crs_key_id
      left join sync_usage u on u.crs_key_id = t.crs_key_id
      where t.seq between ${o.from} and ${o.to}
    ), v1 as (
      select *, n0 >= b0 and n1 >= b1 and n2 >= b2 and n3 >= b3 and (n0 > b0 or n1 > b1 or n2 > b2 or n3 > b3) as by_delta
      from v0
    ), v2 as (
      select *,
        case when by_delta then n0 - b0 else n0 end as u0, case when by_delta then n1 - b1 else n1 end as u1,
        case when by_delta then n2 - b2 else n2 end as u2, case when by_delta then n3 - b3 else n3 end as u3
      from v1
    ), v as (
      select api_key_id, user_id, day, requests, tokens, cost_micros,
        case when no_usage or u0 + u1 + u2 + u3 <= 0 then 1::float8
          else u0::float8 / (u0 + u1 + u2 + u3)::float8 end as w0,
        case when no_usage or u0 + u1 + u2 + u3 <= 0 then 0::float8
          else u1::float8 / (u0 + u1 + u2 + u3)::float8 end as w1,
        case when no_usage or u0 + u1 + u2 + u3 <= 0 then 0::float8
          else u2::float8 / (u0 + u1 + u2 + u3)::float8 end as w2
      from v2
    ), changed as (
      select v.*, d.tokens is not null and v.tokens >= d.tokens as inc, d.api_key_id is not null as existed,
        coalesce(d.requests, 0) as o_req, coalesce(d.tokens, 0) as o_tok, coalesce(d.input_tokens, 0) as o_in,
        coalesce(d.output_tokens, 0) as o_out, coalesce(d.cache_create_tokens, 0) as o_cc,
        coalesce(d.cache_read_tokens, 0) as o_cr, coalesce(d.cost_micros, 0) as o_cost
      -- One primary-key lookup per entry: as a plain join the planner looks rows up by key alone and filters
      -- 30 days of each (or hashes the whole table), ~10x the time at 100,000 keys (bench/micro/daily-write-plan.ts).
      from v left join lateral (
        select * from usage_daily d where d.api_key_id = v.api_key_id and d.day = v.day limit 1
      ) d on true
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
    ), written as (
      insert into usage_daily (api_key_id, user_id, day, requests, tokens, input_tokens, output_tokens,
        cache_create_tokens, cache_read_tokens, cost_micros)
      select api_key_id, user_id, day, requests, tokens, i, o, c, tokens - i - o - c, cost_micros from parts
      on conflict (api_key_id, day) do update set
        requests = excluded.requests, tokens = excluded.tokens, input_tokens = excluded.input_tokens,
        output_tokens = excluded.output_tokens, cache_create_tokens = excluded.cache_create_tokens,
        cache_read_tokens = excluded.cache_read_tokens, cost_micros = excluded.cost_micros
      returning user_id
    ), grown as (
      insert into sync_increments (api_key_id, requests, tokens, input_tokens, output_tokens, cache_create_tokens,
        cache_read_tokens, cost_micros)
      select api_key_id, sum(requests - o_req), sum(tokens - o_tok), sum(i - o_in), sum(o - o_out), sum(c - o_cc),
        sum(tokens - i - o - c - o_cr), sum(cost_micros - o_cost)
      from parts group by api_key_id
    )
    select (select jsonb_agg(distinct user_id) from written) as users, (select count(*) from written) as n,
      (select coalesce(bool_or(existed and (requests < o_req or tokens < o_tok or cost_micros < o_cost)), false)
        from parts) as decreased`);
  const w = usersOf(result);
  return { users: w.users, rows: w.rows, decreased: Boolean(w.decreased) };
}

/** sync_rows' ids in slices of `size`: (after, upTo] each, null for an open end. */
export async function keySlices(db: Db, size = KEY_SLICE): Promise<Array<[string | null, string | null]>> {
  const bounds = rowsOf<{ id: string }>(
    await db.execute(sql`
      select id from (select id, row_number() over (order by id) as n from sync_rows) x
      where n % ${size} = 0 order by id`),
  ).map((r) => r.id);
  const out: Array<[string | null, string | null]> = [];
  let after: string | null = null;
  for (const b of bounds) {
    out.push([after, b]);
    after = b;
  }
  out.push([after, null]);
  return out;
}

const inSlice = (col: SQL, [after, upTo]: [string | null, string | null]) =>
  sql`(${after}::uuid is null or ${col} > ${after}::uuid) and (${upTo}::uuid is null or ${col} <= ${upTo}::uuid)`;

/**
 * Writes the totals and last use of one slice of the keys read, where they changed (or the key was never
 * synced): last use from the key list; totals from usage-stats (`anchored`; a key missing there — deleted —
 * keeps its own), or else the row's totals plus what its daily rows grew by this cycle.
 */
export async function writeTotalsSlice(
  db: Db,
  o: { anchored: boolean; slice: [string | null, string | null]; now: Date },
): Promise<Written> {
  const a = sql`${o.anchored}::boolean`;
  const total = (row: string, usage: string, grown: string) =>
    sql`case when ${a} then coalesce(u.${sql.raw(usage)}, r.${sql.raw(row)})
      else r.${sql.raw(row)} + coalesce(g.${sql.raw(grown)}, 0) end`;
  const result = await db.execute(sql`
    with g as (
      select api_key_id, sum(requests) as requests, sum(tokens) as tokens, sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens, sum(cache_create_tokens) as cache_create_tokens,
        sum(cache_read_tokens) as cache_read_tokens, sum(cost_micros) as cost_micros
      from sync_increments where ${inSlice(sql`api_key_id`, o.slice)} group by api_key_id
    ), v as (
      select r.id, r.user_id, r.synced, r.last_used_at as o_last, coalesce(l.last_used_ts, r.last_used_at) as last,
        r.total_requests as o_req, r.total_tokens as o_tok, r.input_tokens as o_in, r.output_tokens as o_out,
        r.cache_create_tokens as o_cc, r.cache_read_tokens as o_cr, r.total_cost_micros as o_cost,
        ${total('total_requests', 'requests', 'requests')} as req, ${total('total_tokens', 'tokens', 'tokens')} as tok,
        ${total('input_tokens', 'input_tokens', 'input_tokens')} as inp,
        ${total('output_tokens', 'output_tokens', 'output_tokens')} as outp,
        ${total('cache_create_tokens', 'cache_create_tokens', 'cache_create_tokens')} as cc,
        ${total('cache_read_tokens', 'cache_read_tokens', 'cache_read_tokens')} as cr,
        ${total('total_cost_micros', 'cost_micros', 'cost_micros')} as cost
      from sync_rows r
      left join sync_listed l on l.crs_key_id = r.crs_key_id
      left join sync_usage u on u.crs_key_id = r.crs_key_id
      left join g on g.api_key_id = r.id
      where ${inSlice(sql`r.id`, o.slice)}
    ), c as (
      select * from v
      where not synced or last is distinct from o_last
         or (req, tok, inp, outp, cc, cr, cost) is distinct from (o_req, o_tok, o_in, o_out, o_cc, o_cr, o_cost)
    ), written as (
      update api_keys k set
        last_used_at = c.last, total_requests = c.req, total_tokens = c.tok, input_tokens = c.inp,
        output_tokens = c.outp, cache_create_tokens = c.cc, cache_read_tokens = c.cr, total_cost_micros = c.cost,
        usage_synced_at = ${iso(o.now)}::timestamptz
      from c where k.id = c.id
      returning c.user_id
    )
    select (select jsonb_agg(distinct user_id) from written) as users, (select count(*) from written) as n`);
  return usersOf(result);
}

/**
 * An operator's key for one of our users becomes theirs in the portal (`origin: operator`, secret unknown,
 * docs/decisions/010): listed keys without a row of any status, without a create marker, tagged for a user the
 * portal has. Audited `key.adopt`.
 */
export async function adoptStaged(db: Db, now: Date): Promise<Written> {
  const result = await db.execute(sql`
    with adopted as (
      insert into api_keys (user_id, crs_key_id, name, description, status, key_prefix, key_last4, limits, models,
        expires_at, created_at, updated_at, origin)
      select u.id, l.crs_key_id, l.name, coalesce(l.description, ''), l.crs_status, 'cr_', '', l.limits, l.models,
        l.expires_at::timestamptz, l.created_at::timestamptz, ${iso(now)}::timestamptz, 'operator'
      from sync_listed l join users u on u.id::text = l.owner
      where l.marker is null and not exists (select 1 from api_keys k where k.crs_key_id = l.crs_key_id)
      order by l.page, l.crs_key_id
      on conflict (crs_key_id) do nothing
      returning id, user_id, name
    ), audited as (
      insert into audit_log (actor_user_id, action, target_type, target_id, details)
      select null, 'key.adopt', 'key', id::text, jsonb_build_object('name', name) from adopted
    )
    select (select jsonb_agg(distinct user_id) from adopted) as users, (select count(*) from adopted) as n`);
  return usersOf(result);
}
