import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { apiKeys, METERED } from '../schema.js';
import type { KeyRow } from './keys.js';
import { iso, rowsOf } from './raw-sql.js';

/**
 * What the event detection after a sync reads (docs/decisions/029): keys near a cost limit, keys near or past their
 * expiry, the operator's changes the sync audited. Each read pages by key or audit id, so memory stays bounded
 * whatever the number of keys.
 */

export interface CostUsageRow {
  id: string;
  userId: string;
  name: string;
  /** USD, as the limits are stored (0 = none). */
  dailyLimit: number;
  totalLimit: number;
  /** Micro-dollars: today's (CRS day) and lifetime cost. */
  todayCost: number;
  totalCost: number;
}

/**
 * Active keys with a limit only CRS's per-key stats measure (a rate window, a weekly Opus cost), in id order after
 * `afterId` (api_keys_metered_idx): the meters of these are computed as the key pages show them.
 */
export function meteredKeysAfter(db: Db, afterId: string | null, limit: number): Promise<KeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.status, 'active'), sql`${METERED}`, afterId ? gt(apiKeys.id, afterId) : undefined))
    .orderBy(asc(apiKeys.id))
    .limit(limit);
}

/**
 * Active keys whose daily or total cost is at least `minRatio` of its limit: today's cost from `usage_daily` (the
 * CRS day `today`), the lifetime cost from the key's totals — both written by the sync from CRS's figures.
 */
export async function costUsageAtLeast(
  db: Db,
  q: { today: string; minRatio: number; afterId: string | null; limit: number },
): Promise<CostUsageRow[]> {
  const result = await db.execute(sql`
    select k.id, k.user_id as "userId", k.name,
      coalesce((k.limits->>'dailyCostLimit')::float8, 0) as "dailyLimit",
      coalesce((k.limits->>'totalCostLimit')::float8, 0) as "totalLimit",
      coalesce(d.cost_micros, 0) as "todayCost", k.total_cost_micros as "totalCost"
    from api_keys k
    left join usage_daily d on d.api_key_id = k.id and d.day = ${q.today}::date
    where k.status = 'active' and k.id > coalesce(${q.afterId}::uuid, '00000000-0000-0000-0000-000000000000')
      and (
        (coalesce((k.limits->>'dailyCostLimit')::float8, 0) > 0
          and coalesce(d.cost_micros, 0) >= (k.limits->>'dailyCostLimit')::float8 * 1e6 * ${q.minRatio})
        or (coalesce((k.limits->>'totalCostLimit')::float8, 0) > 0
          and k.total_cost_micros >= (k.limits->>'totalCostLimit')::float8 * 1e6 * ${q.minRatio}))
    order by k.id
    limit ${q.limit}`);
  return rowsOf<CostUsageRow>(result).map((r) => ({
    ...r,
    dailyLimit: Number(r.dailyLimit),
    totalLimit: Number(r.totalLimit),
    todayCost: Number(r.todayCost),
    totalCost: Number(r.totalCost),
  }));
}

export interface ExpiryRow {
  id: string;
  userId: string;
  name: string;
  expiresAt: Date;
}

/** Live keys whose expiry falls in [from, to] (active, or expired by CRS). */
export async function keysExpiringBetween(
  db: Db,
  q: { from: Date; to: Date; afterId: string | null; limit: number },
): Promise<ExpiryRow[]> {
  const result = await db.execute(sql`
    select id, user_id as "userId", name, expires_at as "expiresAt" from api_keys
    where expires_at between ${iso(q.from)}::timestamptz and ${iso(q.to)}::timestamptz
      and status in ('active', 'expired') and crs_state = 'live'
      and id > coalesce(${q.afterId}::uuid, '00000000-0000-0000-0000-000000000000')
    order by id
    limit ${q.limit}`);
  return rowsOf<ExpiryRow & { expiresAt: string | Date }>(result).map((r) => ({
    ...r,
    expiresAt: new Date(r.expiresAt),
  }));
}

const CURSOR = 'notify.audit_cursor';

/**
 * The last audit row the detection has read, locked for this transaction. A first read starts at the newest
 * row: changes made before notifications existed are not announced.
 */
export async function lockAuditCursor(tx: Db): Promise<number> {
  await tx.execute(sql`
    insert into portal_settings (name, value)
    select ${CURSOR}, coalesce(max(id), 0)::text from audit_log
    on conflict (name) do nothing`);
  const result = await tx.execute(sql`select value from portal_settings where name = ${CURSOR} for update`);
  return Number(rowsOf<{ value: string }>(result)[0].value);
}

export async function moveAuditCursor(tx: Db, to: number, now: Date): Promise<void> {
  await tx.execute(sql`
    update portal_settings set value = ${String(to)}, updated_at = ${iso(now)}::timestamptz where name = ${CURSOR}`);
}

export interface OperatorChangeRow {
  auditId: number;
  keyId: string;
  userId: string;
  name: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** The sync's `key.operator_change` rows after the cursor, with their key; and the newest audit id seen. */
export async function operatorChangesAfter(
  db: Db,
  after: number,
  limit: number,
): Promise<{ rows: OperatorChangeRow[]; newest: number }> {
  const newest = await db.execute(sql`select coalesce(max(id), 0) as id from audit_log`);
  const top = Number(rowsOf<{ id: string | number }>(newest)[0].id);
  const result = await db.execute(sql`
    select a.id as "auditId", k.id as "keyId", k.user_id as "userId", k.name, a.details->'changes' as changes
    from audit_log a join api_keys k on k.id::text = a.target_id
    where a.id > ${after} and a.id <= ${top} and a.action = 'key.operator_change'
    order by a.id
    limit ${limit}`);
  const rows = rowsOf<OperatorChangeRow & { auditId: string | number }>(result).map((r) => ({
    ...r,
    auditId: Number(r.auditId),
    changes: r.changes ?? {},
  }));
  // A full page may stop short of the newest row: the cursor moves to the page's end, the rest comes next time.
  return { rows, newest: rows.length === limit ? rows[rows.length - 1].auditId : top };
}
