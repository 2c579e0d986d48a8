import { type SQL, sql } from 'drizzle-orm';
import type { CrsState, KeyLimits, KeyStatus, OperatorLocks, PendingWrite } from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import type { KeyTotals } from './keys.js';
import { rowsOf } from './raw-sql.js';

/** The key rows a sync judges, as it reads them (with `rev`, so what it writes lands only on what it read). */
export interface SyncKeyRow extends KeyTotals {
  id: string;
  userId: string;
  crsKeyId: string;
  status: KeyStatus;
  name: string;
  /** As stored: rows written before every CRS limit was kept lack some fields. */
  limits: Partial<KeyLimits>;
  models: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  /** False until a sync has written this key once (its usage has no `asOf` yet). */
  synced: boolean;
  crsState: CrsState;
  operatorLocks: OperatorLocks | null;
  pendingWrite: PendingWrite | null;
  suspended: boolean;
  ownerActive: boolean;
  rev: number;
  updatedAt: Date;
}

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

/** A raw row (bigints as strings, dates as strings under PGlite) as typed values. */
export function toSyncKeyRow(r: Record<string, unknown>): SyncKeyRow {
  return {
    id: r.id as string,
    userId: r.userId as string,
    crsKeyId: r.crsKeyId as string,
    status: r.status as KeyStatus,
    name: r.name as string,
    limits: (r.limits ?? {}) as Partial<KeyLimits>,
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
    crsState: r.crsState as CrsState,
    operatorLocks: (r.operatorLocks ?? null) as OperatorLocks | null,
    pendingWrite: (r.pendingWrite ?? null) as PendingWrite | null,
    suspended: Boolean(r.suspended),
    ownerActive: Boolean(r.ownerActive),
    rev: Number(r.rev),
    updatedAt: date(r.updatedAt) ?? new Date(0),
  };
}

/** Keys the sync maintains: every key not deleted. */
export async function liveSyncKeys(db: Db): Promise<SyncKeyRow[]> {
  return rowsOf<Record<string, unknown>>(await db.execute(select(sql`k.status <> 'deleted'`))).map(toSyncKeyRow);
}
