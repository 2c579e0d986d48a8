import { type SQL, sql } from 'drizzle-orm';
import { limitsOf } from '../../domain/keys/limits.js';
import type { Db } from '../../infra/db/client.js';
import type { PortalKeyState } from './plan.js';
import { rowsOf } from './write.js';

/** The key rows a sync judges, as it reads them (with `rev`, so what it writes lands only on what it read). */

const select = (where: SQL) => sql`
  select k.id, k.user_id as "userId", k.crs_key_id as "crsKeyId", k.status, k.name, k.limits, k.models,
    k.expires_at as "expiresAt", k.last_used_at as "lastUsedAt", k.total_requests as "totalRequests",
    k.total_tokens as "totalTokens", k.input_tokens as "inputTokens", k.output_tokens as "outputTokens",
    k.cache_create_tokens as "cacheCreateTokens", k.cache_read_tokens as "cacheReadTokens",
    k.total_cost_micros as "totalCostMicros", k.usage_synced_at is not null as synced, k.crs_state as "crsState",
    k.operator_locks as "operatorLocks", k.pending_write as "pendingWrite", k.suspended,
    u.status = 'active' as "ownerActive", k.rev, k.updated_at as "updatedAt"
  from api_keys k join users u on u.id = k.user_id
  where ${where}`;

const date = (v: unknown) => (v ? new Date(v as string) : null);

function toState(r: Record<string, unknown>): PortalKeyState {
  return {
    id: r.id as string,
    userId: r.userId as string,
    crsKeyId: r.crsKeyId as string,
    status: r.status as PortalKeyState['status'],
    name: r.name as string,
    limits: limitsOf(r.limits as PortalKeyState['limits']),
    models: r.models as string[],
    expiresAt: date(r.expiresAt),
    lastUsedAt: date(r.lastUsedAt),
    totalRequests: Number(r.totalRequests),
    totalTokens: Number(r.totalTokens),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    cacheCreateTokens: Number(r.cacheCreateTokens),
    cacheReadTokens: Number(r.cacheReadTokens),
    totalCostMicros: Number(r.totalCostMicros),
    synced: Boolean(r.synced),
    crsState: r.crsState as PortalKeyState['crsState'],
    operatorLocks: (r.operatorLocks ?? null) as PortalKeyState['operatorLocks'],
    pendingWrite: (r.pendingWrite ?? null) as PortalKeyState['pendingWrite'],
    suspended: Boolean(r.suspended),
    ownerActive: Boolean(r.ownerActive),
    rev: Number(r.rev),
    updatedAt: date(r.updatedAt) ?? new Date(0),
  };
}

/** Portal keys the sync maintains: every key not deleted. */
export async function loadPortalKeys(db: Db): Promise<PortalKeyState[]> {
  return rowsOf<Record<string, unknown>>(await db.execute(select(sql`k.status <> 'deleted'`))).map(toState);
}

/** Rows of these CRS keys whatever their status (the listed keys without a live row: deleted ones come back). */
export async function rowsOfCrsKeys(db: Db, crsIds: string[]): Promise<PortalKeyState[]> {
  if (crsIds.length === 0) return [];
  const ids = sql`${JSON.stringify(crsIds)}::jsonb`;
  const where = sql`k.crs_key_id in (select jsonb_array_elements_text(${ids}))`;
  return rowsOf<Record<string, unknown>>(await db.execute(select(where))).map(toState);
}

/** Which of these ids are portal users (an operator's key tagged for one of them is adopted). */
export async function existingUsers(db: Db, ids: string[]): Promise<Set<string>> {
  const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (uuids.length === 0) return new Set();
  const result = await db.execute(
    sql`select id from users where id in (select (jsonb_array_elements_text(${JSON.stringify(uuids)}::jsonb))::uuid)`,
  );
  return new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
}
