import { sql } from 'drizzle-orm';
import type { KeyLimits, KeyStatus } from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import { batchParam, rowsOf } from './raw-sql.js';

/**
 * The sync's staging tables (docs/decisions/031): what CRS answers streams into temporary tables of the sync's
 * own connection (the leader lock's), batch by batch as it arrives, and PostgreSQL computes the rest from there
 * (sync-plan.ts). The process never holds a row per key: only the batch in flight. Temporary tables live as long
 * as their connection, so a cycle whose connection dies leaves nothing behind, and no other session sees them.
 */

/** A CRS list item as staged: the fields CRS is the truth for, and what the SQL compares them by. */
export interface StagedKey {
  crsKeyId: string;
  /** The list page it came from: a key listed twice (the list shifted) keeps its lowest page's copy. */
  page: number;
  name: string;
  isActive: boolean;
  isDeleted: boolean;
  /** As CRS sent them (the judgement reads these back), and as instants (the SQL compares those). */
  expiresAt: string | null;
  expiresTs: string | null;
  lastUsedAt: string | null;
  lastUsedTs: string | null;
  createdAt: string;
  /** Its status in portal terms at the cycle's start (expired, disabled or active). */
  crsStatus: Exclude<KeyStatus, 'deleted'>;
  limits: KeyLimits;
  models: string[];
  owner: string | null;
  marker: string | null;
  description: string | null;
}

/** One key's lifetime totals from usage-stats, cost in micro-dollars. */
export interface StagedUsage {
  crsKeyId: string;
  name: string;
  requests: number;
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  costMicros: number;
}

/** One key's CRS day from the trend, cost in micro-dollars. */
export interface StagedDay {
  crsKeyId: string;
  day: string;
  requests: number;
  tokens: number;
  costMicros: number;
}

const TABLES = sql.raw('sync_rows, sync_listed, sync_usage, sync_trend, sync_deleted, sync_increments');

/**
 * Makes the staging tables, the first one a copy of the key rows the sync judges (every key not deleted, read
 * with `rev` before CRS is asked, so a key created meanwhile is not mistaken for one deleted in CRS and a write
 * that lands meanwhile makes the judgement of its row miss). Answers how many rows that is.
 */
export async function openStaging(db: Db): Promise<number> {
  await db.execute(sql`drop table if exists ${TABLES}`);
  await db.execute(sql`
    create temp table sync_rows as
    select k.id, k.user_id, k.crs_key_id, k.status, k.name, k.limits, k.models,
      coalesce((select jsonb_agg(m order by m) from (select distinct jsonb_array_elements_text(k.models) m) x),
        '[]'::jsonb) as models_sorted,
      k.expires_at, k.last_used_at, k.total_requests, k.total_tokens, k.input_tokens, k.output_tokens,
      k.cache_create_tokens, k.cache_read_tokens, k.total_cost_micros, k.usage_synced_at is not null as synced,
      k.crs_state, k.operator_locks, k.pending_write, k.suspended, u.status = 'active' as owner_active, k.rev,
      k.updated_at
    from api_keys k join users u on u.id = k.user_id
    where k.status <> 'deleted'`);
  await db.execute(sql`alter table sync_rows add primary key (id)`);
  await db.execute(sql`create unique index on sync_rows (crs_key_id)`);
  await db.execute(sql`
    create temp table sync_listed (crs_key_id text primary key, page int not null, name text not null,
      is_active boolean not null, is_deleted boolean not null, expires_at text, expires_ts timestamptz,
      last_used_at text, last_used_ts timestamptz, created_at text not null, crs_status text not null,
      limits jsonb not null, models jsonb not null, models_sorted jsonb not null, owner text, marker text,
      description text)`);
  await db.execute(sql`
    create temp table sync_usage (crs_key_id text primary key, name text not null, requests bigint not null,
      tokens bigint not null, input_tokens bigint not null, output_tokens bigint not null,
      cache_create_tokens bigint not null, cache_read_tokens bigint not null, cost_micros bigint not null)`);
  await db.execute(sql`
    create temp table sync_trend (seq bigserial, crs_key_id text not null, day date not null,
      requests bigint not null, tokens bigint not null, cost_micros bigint not null, primary key (crs_key_id, day))`);
  await db.execute(sql`create temp table sync_deleted (crs_key_id text primary key)`);
  await db.execute(sql`
    create temp table sync_increments (api_key_id uuid not null, requests bigint not null, tokens bigint not null,
      input_tokens bigint not null, output_tokens bigint not null, cache_create_tokens bigint not null,
      cache_read_tokens bigint not null, cost_micros bigint not null)`);
  const [row] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from sync_rows`));
  return Number(row?.n ?? 0);
}

/** Drops the staging tables (their space is the database's temporary files until then). */
export async function closeStaging(db: Db): Promise<void> {
  await db.execute(sql`drop table if exists ${TABLES}`);
}

/** Statistics for the planner: temporary tables are never analysed by autovacuum. */
export async function analyzeStaging(db: Db): Promise<void> {
  await db.execute(sql`analyze sync_rows, sync_listed, sync_usage, sync_trend, sync_deleted`);
  await db.execute(sql`create index if not exists sync_trend_seq on sync_trend (seq)`);
}

/** Adds list items; of a key listed twice the lowest page's copy stays (what a sequential read would keep). */
export async function stageKeys(db: Db, keys: StagedKey[]): Promise<void> {
  const byId = new Map<string, StagedKey>();
  for (const k of keys) {
    const seen = byId.get(k.crsKeyId);
    if (!seen || k.page < seen.page) byId.set(k.crsKeyId, k);
  }
  const rows = [...byId.values()].map((k) => ({
    ...k,
    modelsSorted: [...new Set(k.models)].sort(),
  }));
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into sync_listed (crs_key_id, page, name, is_active, is_deleted, expires_at, expires_ts, last_used_at,
      last_used_ts, created_at, crs_status, limits, models, models_sorted, owner, marker, description)
    select v."crsKeyId", v.page, v.name, v."isActive", v."isDeleted", v."expiresAt", v."expiresTs", v."lastUsedAt",
      v."lastUsedTs", v."createdAt", v."crsStatus", v.limits, v.models, v."modelsSorted", v.owner, v.marker,
      v.description
    from jsonb_to_recordset(${batchParam(rows)}) as v("crsKeyId" text, page int, name text, "isActive" boolean,
      "isDeleted" boolean, "expiresAt" text, "expiresTs" timestamptz, "lastUsedAt" text, "lastUsedTs" timestamptz,
      "createdAt" text, "crsStatus" text, limits jsonb, models jsonb, "modelsSorted" jsonb, owner text, marker text,
      description text)
    on conflict (crs_key_id) do update set page = excluded.page, name = excluded.name,
      is_active = excluded.is_active, is_deleted = excluded.is_deleted, expires_at = excluded.expires_at,
      expires_ts = excluded.expires_ts, last_used_at = excluded.last_used_at, last_used_ts = excluded.last_used_ts,
      created_at = excluded.created_at, crs_status = excluded.crs_status, limits = excluded.limits,
      models = excluded.models, models_sorted = excluded.models_sorted, owner = excluded.owner,
      marker = excluded.marker, description = excluded.description
      where excluded.page < sync_listed.page`);
}

/** Drops the list an earlier attempt staged (a direct read of CRS's Redis that the admin API then replaced). */
export async function clearStagedKeys(db: Db): Promise<void> {
  await db.execute(sql`truncate sync_listed`);
}

/** Drops what an earlier attempt at usage-stats staged (a retried read hands everything over again). */
export async function clearStagedUsage(db: Db): Promise<void> {
  await db.execute(sql`truncate sync_usage`);
}

/** Adds usage-stats records; a key handed over twice keeps the later copy. */
export async function stageUsage(db: Db, usage: StagedUsage[]): Promise<void> {
  const rows = [...new Map(usage.map((u) => [u.crsKeyId, u])).values()];
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into sync_usage (crs_key_id, name, requests, tokens, input_tokens, output_tokens, cache_create_tokens,
      cache_read_tokens, cost_micros)
    select v."crsKeyId", v.name, v.requests, v.tokens, v."inputTokens", v."outputTokens", v."cacheCreateTokens",
      v."cacheReadTokens", v."costMicros"
    from jsonb_to_recordset(${batchParam(rows)}) as v("crsKeyId" text, name text, requests bigint, tokens bigint,
      "inputTokens" bigint, "outputTokens" bigint, "cacheCreateTokens" bigint, "cacheReadTokens" bigint,
      "costMicros" bigint)
    on conflict (crs_key_id) do update set name = excluded.name, requests = excluded.requests,
      tokens = excluded.tokens, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
      cache_create_tokens = excluded.cache_create_tokens, cache_read_tokens = excluded.cache_read_tokens,
      cost_micros = excluded.cost_micros`);
}

/** Adds trend entries; an entry handed over again (a retried read) replaces the earlier copy. */
export async function stageTrend(db: Db, days: StagedDay[]): Promise<void> {
  const rows = [...new Map(days.map((d) => [`${d.crsKeyId} ${d.day}`, d])).values()];
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into sync_trend (crs_key_id, day, requests, tokens, cost_micros)
    select v."crsKeyId", v.day, v.requests, v.tokens, v."costMicros"
    from jsonb_to_recordset(${batchParam(rows)}) as v("crsKeyId" text, day date, requests bigint, tokens bigint,
      "costMicros" bigint)
    on conflict (crs_key_id, day) do update set requests = excluded.requests, tokens = excluded.tokens,
      cost_micros = excluded.cost_micros`);
}

/** CRS's deleted list (read only when a portal key is missing from the tag list). */
export async function stageDeleted(db: Db, crsKeyIds: string[]): Promise<void> {
  for (let i = 0; i < crsKeyIds.length; i += 5000) {
    const ids = crsKeyIds.slice(i, i + 5000);
    await db.execute(sql`
      insert into sync_deleted (crs_key_id) select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)
      on conflict do nothing`);
  }
}
