import { sql } from 'drizzle-orm';
import type { MeterFigures } from '../../../domain/meters/types.js';
import type { Db } from '../client.js';
import { METERED } from '../schema.js';
import { batchParam, iso, rowsOf } from './raw-sql.js';

export type { MeterFigures } from '../../../domain/meters/types.js';

/**
 * SQL of the sync's per-key reads (docs/decisions/024, 025): which keys are due, what was read, and the figures the
 * limit meters are computed from. Every candidate query is bounded by a LIMIT and an index (api_keys_metered_idx,
 * api_keys_last_used_idx).
 */

export interface DueKey {
  id: string;
  userId: string;
  crsKeyId: string;
  /** CRS's last use of the key as the portal knows it now (CRS's clock). */
  lastUsedAt: Date | null;
  /** The last use known when the key was last read (null: never read). */
  seenUsedAt: Date | null;
}

const date = (v: unknown) => (v ? new Date(v as string) : null);
const toDue = (r: Record<string, unknown>): DueKey => ({
  id: r.id as string,
  userId: r.userId as string,
  crsKeyId: r.crsKeyId as string,
  lastUsedAt: date(r.lastUsedAt),
  seenUsedAt: date(r.seenUsedAt),
});

/**
 * Live, unexpired keys with a limit only CRS meters (a rate window, a weekly Opus cost) that are due: never read,
 * used since (on CRS's clock), or changed by the portal since (a limit set later). Most recently used first.
 */
export async function dueForLimits(db: Db, now: Date, limit: number): Promise<DueKey[]> {
  const result = await db.execute(sql`
    select k.id, k.user_id as "userId", k.crs_key_id as "crsKeyId", k.last_used_at as "lastUsedAt",
      r.limits_seen_used_at as "seenUsedAt"
    from api_keys k left join key_crs_reads r on r.api_key_id = k.id
    where ${METERED} and k.status = 'active' and (k.expires_at is null or k.expires_at > ${iso(now)}::timestamptz)
      and (r.limits_read_at is null or k.last_used_at > coalesce(r.limits_seen_used_at, '-infinity')
        or k.updated_at > r.limits_read_at)
    order by k.last_used_at desc nulls last
    limit ${limit}`);
  return rowsOf<Record<string, unknown>>(result).map(toDue);
}

/** Keys used since `since` (CRS's clock) and since their models were last read. Most recently used first. */
export async function dueForModels(db: Db, since: Date, limit: number): Promise<DueKey[]> {
  const result = await db.execute(sql`
    select k.id, k.user_id as "userId", k.crs_key_id as "crsKeyId", k.last_used_at as "lastUsedAt",
      r.models_seen_used_at as "seenUsedAt"
    from api_keys k left join key_crs_reads r on r.api_key_id = k.id
    where k.last_used_at >= ${iso(since)}::timestamptz and k.crs_state <> 'gone'
      and k.last_used_at > coalesce(r.models_seen_used_at, '-infinity')
    order by k.last_used_at desc
    limit ${limit}`);
  return rowsOf<Record<string, unknown>>(result).map(toDue);
}

/** What CRS counted against a key's limits when it was read; money in micro-dollars. */
export interface LimitFiguresWrite {
  apiKeyId: string;
  userId: string;
  readAt: Date;
  seenUsedAt: Date | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  windowRequests: number;
  windowTokens: number;
  windowCostMicros: number;
  opusCostMicros: number;
  opusWeekStart: Date;
  weeklyResetDay: number;
  weeklyResetHour: number;
}

export async function writeLimitFigures(db: Db, rows: LimitFiguresWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const param = rows.map((r) => ({
    k: r.apiKeyId,
    u: r.userId,
    at: iso(r.readAt),
    seen: iso(r.seenUsedAt),
    ws: iso(r.windowStart),
    we: iso(r.windowEnd),
    wr: r.windowRequests,
    wt: r.windowTokens,
    wc: r.windowCostMicros,
    oc: r.opusCostMicros,
    ow: iso(r.opusWeekStart),
    rd: r.weeklyResetDay,
    rh: r.weeklyResetHour,
  }));
  await db.execute(sql`
    insert into key_crs_reads as r (api_key_id, user_id, limits_read_at, limits_seen_used_at, window_start,
      window_end, window_requests, window_tokens, window_cost_micros, opus_cost_micros, opus_week_start,
      weekly_reset_day, weekly_reset_hour)
    select v.k, v.u, v.at, v.seen, v.ws, v.we, v.wr, v.wt, v.wc, v.oc, v.ow, v.rd, v.rh
    from jsonb_to_recordset(${batchParam(param)}) as v(k uuid, u uuid, at timestamptz, seen timestamptz,
      ws timestamptz, we timestamptz, wr bigint, wt bigint, wc bigint, oc bigint, ow timestamptz, rd int, rh int)
    on conflict (api_key_id) do update set
      limits_read_at = excluded.limits_read_at, limits_seen_used_at = excluded.limits_seen_used_at,
      window_start = excluded.window_start, window_end = excluded.window_end,
      window_requests = excluded.window_requests, window_tokens = excluded.window_tokens,
      window_cost_micros = excluded.window_cost_micros, opus_cost_micros = excluded.opus_cost_micros,
      opus_week_start = excluded.opus_week_start, weekly_reset_day = excluded.weekly_reset_day,
      weekly_reset_hour = excluded.weekly_reset_hour`);
}

/**
 * Marks keys as read (figures unchanged): CRS refused them (disabled or expired in the meantime), so they wait for
 * their next use instead of being asked every cycle.
 */
export async function markLimitsRead(db: Db, keys: DueKey[], at: Date): Promise<void> {
  await markRead(db, keys, at, 'limits');
}

export async function markModelsRead(db: Db, keys: DueKey[], at: Date): Promise<void> {
  await markRead(db, keys, at, 'models');
}

async function markRead(db: Db, keys: DueKey[], at: Date, what: 'limits' | 'models'): Promise<void> {
  if (keys.length === 0) return;
  const param = keys.map((k) => ({ k: k.id, u: k.userId, seen: iso(k.lastUsedAt) }));
  const [readAt, seen] =
    what === 'limits'
      ? [sql`limits_read_at`, sql`limits_seen_used_at`]
      : [sql`models_read_at`, sql`models_seen_used_at`];
  await db.execute(sql`
    insert into key_crs_reads as r (api_key_id, user_id, ${readAt}, ${seen})
    select v.k, v.u, ${iso(at)}::timestamptz, v.seen
    from jsonb_to_recordset(${batchParam(param)}) as v(k uuid, u uuid, seen timestamptz)
    on conflict (api_key_id) do update set ${readAt} = excluded.${readAt}, ${seen} = excluded.${seen}`);
}

/** One statement for a page of keys: today's cost (usage_daily's primary key) and the last read figures. */
export async function meterFigures(db: Db, keyIds: string[], today: string): Promise<Map<string, MeterFigures>> {
  const out = new Map<string, MeterFigures>();
  if (keyIds.length === 0) return out;
  const result = await db.execute(sql`
    select k.id, d.cost_micros as "todayCostMicros", r.limits_read_at as "limitsReadAt",
      r.window_start as "windowStart", r.window_end as "windowEnd", r.window_requests as "windowRequests",
      r.window_tokens as "windowTokens", r.window_cost_micros as "windowCostMicros",
      r.opus_cost_micros as "opusCostMicros", r.opus_week_start as "opusWeekStart",
      r.weekly_reset_day as "weeklyResetDay", r.weekly_reset_hour as "weeklyResetHour"
    from jsonb_array_elements_text(${JSON.stringify(keyIds)}::jsonb) as ids(id)
    join api_keys k on k.id = ids.id::uuid
    left join usage_daily d on d.api_key_id = k.id and d.day = ${today}::date
    left join key_crs_reads r on r.api_key_id = k.id`);
  for (const r of rowsOf<Record<string, unknown>>(result)) {
    out.set(r.id as string, {
      todayCostMicros: Number(r.todayCostMicros ?? 0),
      limitsReadAt: date(r.limitsReadAt),
      windowStart: date(r.windowStart),
      windowEnd: date(r.windowEnd),
      windowRequests: Number(r.windowRequests ?? 0),
      windowTokens: Number(r.windowTokens ?? 0),
      windowCostMicros: Number(r.windowCostMicros ?? 0),
      opusCostMicros: Number(r.opusCostMicros ?? 0),
      opusWeekStart: date(r.opusWeekStart),
      weeklyResetDay: Number(r.weeklyResetDay ?? 1),
      weeklyResetHour: Number(r.weeklyResetHour ?? 0),
    });
  }
  return out;
}

const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;
/** 1970-01-05, the first Monday of the Unix epoch: weeks are counted from a reset moment after it. */
const FIRST_MONDAY_S = 4 * DAY_S;

/**
 * Users with a meter that reset in (prev, now]: a rate window that ended, a weekly Opus reset of a key with a
 * weekly limit (its own reset day and hour, CRS-local), CRS's midnight for keys with a daily limit
 * (`midnight`: the caller knows whether one passed), an expiry. Their cached key views are dropped, so a meter
 * reads 0 from its reset on (the entries' TTL bounds it otherwise).
 */
export async function metersReset(
  db: Db,
  prev: Date,
  now: Date,
  offsetHours: number,
  midnight: boolean,
): Promise<string[]> {
  const local = (d: Date) => d.getTime() / 1000 + offsetHours * 3600;
  const week = (t: number) => sql`floor((${t}::float8 - ${FIRST_MONDAY_S} - coalesce(
    (r.weekly_reset_day - 1) * ${DAY_S} + r.weekly_reset_hour * 3600, 0)) / ${WEEK_S})`;
  const result = await db.execute(sql`
    select distinct k.user_id as "userId"
    from api_keys k left join key_crs_reads r on r.api_key_id = k.id
    where k.status <> 'deleted' and (
      (r.window_end > ${iso(prev)}::timestamptz and r.window_end <= ${iso(now)}::timestamptz)
      or ((k.limits->>'weeklyOpusCostLimit')::numeric > 0 and ${week(local(now))} > ${week(local(prev))})
      or (${midnight}::boolean and (k.limits->>'dailyCostLimit')::numeric > 0)
      or (k.expires_at > ${iso(prev)}::timestamptz and k.expires_at <= ${iso(now)}::timestamptz)
    )`);
  return rowsOf<{ userId: string }>(result).map((r) => r.userId);
}
