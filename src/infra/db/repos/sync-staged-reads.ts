import { type SQL, sql } from 'drizzle-orm';
import { NO_LIMITS } from '../../../domain/keys/limits.js';
import type { KeyLimits } from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import { rowsOf } from './raw-sql.js';
import { type SyncKeyRow, toSyncKeyRow } from './sync-reads.js';

/**
 * What the sync reads back from its staging tables (sync-staging.ts): the few rows the rules of
 * docs/decisions/010 and 011 must look at one by one, in bounded pages, picked out by SQL from every key.
 */

/** A staged list item as the judgement reads it back. */
export interface ListedRow {
  crsKeyId: string;
  name: string;
  isActive: boolean;
  isDeleted: boolean;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  limits: KeyLimits;
  models: string[];
  owner: string | null;
  marker: string | null;
  description: string | null;
}

/** A row to judge: as the sync read it, with what CRS says of it — its list item, or that it is gone. */
export interface Candidate {
  row: SyncKeyRow;
  listed: ListedRow | null;
  removed: 'deleted' | 'gone' | null;
}

const rowColumns = (t: string) =>
  sql.raw(`${t}.id, ${t}.user_id as "userId", ${t}.crs_key_id as "crsKeyId", ${t}.status, ${t}.name, ${t}.limits,
    ${t}.models, ${t}.expires_at as "expiresAt", ${t}.last_used_at as "lastUsedAt",
    ${t}.total_requests as "totalRequests", ${t}.total_tokens as "totalTokens", ${t}.input_tokens as "inputTokens",
    ${t}.output_tokens as "outputTokens", ${t}.cache_create_tokens as "cacheCreateTokens",
    ${t}.cache_read_tokens as "cacheReadTokens", ${t}.total_cost_micros as "totalCostMicros",
    ${t}.crs_state as "crsState", ${t}.operator_locks as "operatorLocks", ${t}.pending_write as "pendingWrite",
    ${t}.suspended, ${t}.rev, ${t}.updated_at as "updatedAt"`);

const listedColumns = sql.raw(`l.crs_key_id as "l_crsKeyId", l.name as "l_name", l.is_active as "l_isActive",
  l.is_deleted as "l_isDeleted", l.expires_at as "l_expiresAt", l.last_used_at as "l_lastUsedAt",
  l.created_at as "l_createdAt", l.limits as "l_limits", l.models as "l_models", l.owner as "l_owner",
  l.marker as "l_marker", l.description as "l_description"`);

function listedOf(r: Record<string, unknown>): ListedRow | null {
  if (r.l_crsKeyId === null || r.l_crsKeyId === undefined) return null;
  return {
    crsKeyId: r.l_crsKeyId as string,
    name: r.l_name as string,
    isActive: Boolean(r.l_isActive),
    isDeleted: Boolean(r.l_isDeleted),
    expiresAt: (r.l_expiresAt as string | null) ?? null,
    lastUsedAt: (r.l_lastUsedAt as string | null) ?? null,
    createdAt: r.l_createdAt as string,
    limits: r.l_limits as KeyLimits,
    models: r.l_models as string[],
    owner: (r.l_owner as string | null) ?? null,
    marker: (r.l_marker as string | null) ?? null,
    description: (r.l_description as string | null) ?? null,
  };
}

/** A write of the portal's to this row is still in flight (docs/decisions/011): the sync leaves it alone. */
const inFlight = (now: Date) =>
  sql`(r.pending_write is not null and (r.pending_write->>'deadline')::timestamptz >= ${now.toISOString()}::timestamptz)`;

const listedIn = sql`exists (select 1 from sync_listed l where l.crs_key_id = r.crs_key_id)`;
const inUsage = sql`exists (select 1 from sync_usage u where u.crs_key_id = r.crs_key_id)`;

/** A row the tag list missed that usage-stats still has: live, to search for by its CRS name. */
export interface MissingLive {
  id: string;
  userId: string;
  crsKeyId: string;
  usageName: string;
}

/**
 * Rows the tag list missed, not in flight: how many, how many of them usage-stats does not have either (deleted
 * or gone: `notLive`), and the first `searchable` of those it has (live). `notLive` and `live` need usage-stats
 * staged; `count` does not.
 */
export async function missingKeys(
  db: Db,
  now: Date,
  searchable: number,
): Promise<{ count: number; notLive: number; live: MissingLive[] }> {
  const where = sql`not ${listedIn} and not ${inFlight(now)}`;
  const [c] = rowsOf<{ n: string | number; dead: string | number }>(
    await db.execute(sql`
      select count(*) as n, count(*) filter (where not ${inUsage}) as dead from sync_rows r where ${where}`),
  );
  if (Number(c.n) === 0) return { count: 0, notLive: 0, live: [] };
  const live = rowsOf<MissingLive>(
    await db.execute(sql`
      select r.id, r.user_id as "userId", r.crs_key_id as "crsKeyId", u.name as "usageName"
      from sync_rows r join sync_usage u on u.crs_key_id = r.crs_key_id
      where ${where} order by r.id limit ${searchable}`),
  );
  return { count: Number(c.n), notLive: Number(c.dead), live };
}

/**
 * The next `limit` rows after `after` (by id) that the judgement may change: listed with anything CRS is the
 * truth for differing from the row (status, name, expiry, a limit, the blocked models), or a write's intent to
 * clear, or a CRS state to set back to live; or gone from CRS (`removedKnown`: CRS's deleted list was read).
 * A superset of what judge() changes — it decides — so every other row is skipped without leaving PostgreSQL.
 */
export async function judgeCandidates(
  db: Db,
  o: { now: Date; removedKnown: boolean; after: string | null; limit: number },
): Promise<Candidate[]> {
  const differs = sql`(
    r.pending_write is not null or r.crs_state <> 'live' or r.status <> l.crs_status or r.name <> l.name
    or r.expires_at is distinct from l.expires_ts
    or (${JSON.stringify(NO_LIMITS)}::jsonb || coalesce(r.limits, '{}'::jsonb)) <> l.limits
    or jsonb_array_length(r.models) <> jsonb_array_length(l.models) or r.models_sorted <> l.models_sorted)`;
  const removed = sql`(l.crs_key_id is null and ${o.removedKnown}::boolean and not ${inUsage}
    and not ${inFlight(o.now)})`;
  const after: SQL = o.after ? sql`r.id > ${o.after}::uuid` : sql`true`;
  const result = await db.execute(sql`
    select ${rowColumns('r')}, r.synced, r.owner_active as "ownerActive", ${listedColumns},
      case when ${removed} then
        case when exists (select 1 from sync_deleted d where d.crs_key_id = r.crs_key_id) then 'deleted' else 'gone' end
      end as removed
    from sync_rows r left join sync_listed l on l.crs_key_id = r.crs_key_id
    where ${after} and ((l.crs_key_id is not null and ${differs}) or ${removed})
    order by r.id limit ${o.limit}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    row: toSyncKeyRow(r),
    listed: listedOf(r),
    removed: (r.removed as 'deleted' | 'gone' | null) ?? null,
  }));
}

/**
 * Listed keys whose row is deleted (not in the rows read), deleted before the cycle began and with no write in
 * flight: an operator restored them in CRS. Paged by the row's id.
 */
export async function revivable(
  db: Db,
  o: { cycleStart: Date; after: string | null; limit: number },
): Promise<Array<{ row: SyncKeyRow; listed: ListedRow }>> {
  const at = sql`${o.cycleStart.toISOString()}::timestamptz`;
  const after: SQL = o.after ? sql`k.id > ${o.after}::uuid` : sql`true`;
  const result = await db.execute(sql`
    select ${rowColumns('k')}, k.usage_synced_at is not null as synced, u.status = 'active' as "ownerActive",
      ${listedColumns}
    from sync_listed l join api_keys k on k.crs_key_id = l.crs_key_id join users u on u.id = k.user_id
    where ${after} and not exists (select 1 from sync_rows r where r.crs_key_id = l.crs_key_id)
      and k.status = 'deleted' and k.updated_at < ${at}
      and (k.pending_write is null or (k.pending_write->>'deadline')::timestamptz < ${at})
    order by k.id limit ${o.limit}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({ row: toSyncKeyRow(r), listed: listedOf(r)! }));
}

/** Listed keys without a row whose create marker names one of our creates (settled after the cycle). */
export async function markedKeys(
  db: Db,
): Promise<Array<{ crsKeyId: string; name: string; owner: string | null; marker: string }>> {
  const result = await db.execute(sql`
    select l.crs_key_id as "crsKeyId", l.name, l.owner, l.marker
    from sync_listed l join key_creates c on c.id::text = l.marker
    where not exists (select 1 from api_keys k where k.crs_key_id = l.crs_key_id)
    order by l.page, l.crs_key_id`);
  return rowsOf(result);
}

/** Suspended keys whose owner's status CRS does not reflect yet (docs/decisions/011), at most `limit`. */
export async function suspendedOutOfStep(db: Db, limit: number): Promise<string[]> {
  const result = await db.execute(sql`
    select r.id from sync_rows r join sync_listed l on l.crs_key_id = r.crs_key_id
    where r.suspended and (r.owner_active or l.is_active) order by r.id limit ${limit}`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}
