import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { KeyLimits, OperatorLocks, PendingWrite } from '../../domain/keys/types.js';

/*
 * Money is stored as integer micro-dollars (CRS itself stores `ratedCostMicro`), so sums over days and keys are
 * exact and agree with CRS to the cent; the API converts to USD numbers at the edge.
 * bigint columns use mode 'number': token and micro-dollar totals stay far below 2^53.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const big = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /** Null: the operator's default (DEFAULT_MAX_KEYS). */
    maxKeys: integer('max_keys'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the 256-bit random token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** CRS's key UUID: a credential for CRS's public stats API, so it never leaves the server. */
    crsKeyId: text('crs_key_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['active', 'disabled', 'expired', 'deleted'] })
      .notNull()
      .default('active'),
    keyPrefix: text('key_prefix').notNull(),
    keyLast4: text('key_last4').notNull(),
    limits: jsonb('limits').$type<KeyLimits>().notNull(),
    models: jsonb('models').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    expiresAt: ts('expires_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    // Lifetime usage, written by the sync from CRS's usage-stats.
    totalRequests: big('total_requests'),
    totalTokens: big('total_tokens'),
    inputTokens: big('input_tokens'),
    outputTokens: big('output_tokens'),
    cacheCreateTokens: big('cache_create_tokens'),
    cacheReadTokens: big('cache_read_tokens'),
    totalCostMicros: big('total_cost_micros'),
    lastUsedAt: ts('last_used_at'),
    usageSyncedAt: ts('usage_synced_at'),
    crsState: text('crs_state', { enum: ['live', 'deleted', 'gone'] })
      .notNull()
      .default('live'),
    /** `operator`: a key an operator made in CRS for this user, adopted by the sync (its secret is unknown). */
    origin: text('origin', { enum: ['portal', 'operator'] })
      .notNull()
      .default('portal'),
    operatorLocks: jsonb('operator_locks').$type<OperatorLocks>(),
    pendingWrite: jsonb('pending_write').$type<PendingWrite>(),
    /** Disabled in CRS because its owner was disabled; re-enabled when the owner is (docs/decisions/011). */
    suspended: boolean('suspended').notNull().default(false),
    /** Bumped by every portal write of the row, so the sync writes what it judged only onto the row it read. */
    rev: integer('rev').notNull().default(0),
  },
  (t) => [
    uniqueIndex('api_keys_crs_key_id_key').on(t.crsKeyId),
    // The seed design's five indexes …
    index('api_keys_total_tokens_idx').on(t.totalTokens),
    index('api_keys_total_requests_idx').on(t.totalRequests),
    index('api_keys_user_status_idx').on(t.userId, t.status),
    index('api_keys_user_total_tokens_idx').on(t.userId, t.totalTokens),
    index('api_keys_user_last_used_idx').on(t.userId, t.lastUsedAt),
    // … and the other leaderboard orders (per user, and across users for the admin view).
    index('api_keys_user_total_requests_idx').on(t.userId, t.totalRequests),
    index('api_keys_user_total_cost_idx').on(t.userId, t.totalCostMicros),
    index('api_keys_total_cost_idx').on(t.totalCostMicros),
    // The admin's "keys held by the operator" page, and the sync's repair of suspended keys.
    index('api_keys_locked_idx').on(t.id).where(sql`operator_locks is not null`),
    index('api_keys_suspended_idx').on(t.userId).where(sql`suspended`),
  ],
);

/**
 * One row per key create (docs/decisions/010): committed before CRS is called, its id is the marker carried in
 * the CRS key's description, so a create whose outcome is unknown is settled by the sync (never delivered →
 * soft-deleted in CRS).
 */
export const keyCreates = pgTable(
  'key_creates',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status', { enum: ['pending', 'done', 'abandoned'] })
      .notNull()
      .default('pending'),
    crsKeyId: text('crs_key_id'),
    createdAt: ts('created_at').notNull(),
    deadline: ts('deadline').notNull(),
  },
  (t) => [
    index('key_creates_user_pending_idx').on(t.userId).where(sql`status = 'pending'`),
    index('key_creates_pending_deadline_idx').on(t.deadline).where(sql`status = 'pending'`),
  ],
);

/**
 * The portal's own daily history per key (CRS days), kept beyond CRS's 32-day retention.
 * requests/tokens/cost come straight from CRS's per-key trend; the token split is attributed by the sync
 * (see docs/decisions) so that input + output + cacheCreate + cacheRead = tokens on every row.
 */
export const usageDaily = pgTable(
  'usage_daily',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    requests: big('requests'),
    tokens: big('tokens'),
    inputTokens: big('input_tokens'),
    outputTokens: big('output_tokens'),
    cacheCreateTokens: big('cache_create_tokens'),
    cacheReadTokens: big('cache_read_tokens'),
    costMicros: big('cost_micros'),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.day] }), index('usage_daily_user_day_idx').on(t.userId, t.day)],
);

export const invites = pgTable('invites', {
  code: text('code').primaryKey(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: ts('created_at').notNull().defaultNow(),
  usedBy: uuid('used_by').references(() => users.id, { onDelete: 'set null' }),
  usedAt: ts('used_at'),
  /** Every code expires (INVITE_TTL_DAYS by default); codes older than this column got a week from the migration. */
  expiresAt: ts('expires_at').notNull().default(sql`now() + interval '7 days'`),
  revokedAt: ts('revoked_at'),
  revokedBy: uuid('revoked_by').references(() => users.id, { onDelete: 'set null' }),
});

/**
 * One-time admin setup tokens (docs/decisions/013): only their SHA-256 is stored, one row per start that found no
 * admin, all dropped when one is used.
 */
export const setupTokens = pgTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

/** Small deployment-wide values every instance must agree on (the device-cookie signing key, …). */
export const portalSettings = pgTable('portal_settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Rate-limit counters when Redis is absent or failing (docs/decisions/014). The key is a hash: no e-mail address or
 * IP is stored in clear. `reset_at` ends the window; expired rows are purged by the housekeeping job.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    resetAt: ts('reset_at').notNull(),
    lastAt: ts('last_at').notNull(),
  },
  (t) => [index('rate_limits_reset_idx').on(t.resetAt)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    ip: text('ip'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId), index('audit_log_actor_idx').on(t.actorUserId)],
);

/** One row per background job: shared state for the admin overview and /metrics across instances. */
export const jobState = pgTable('job_state', {
  name: text('name').primaryKey(),
  lastRunAt: ts('last_run_at'),
  lastSuccessAt: ts('last_success_at'),
  lastFullAt: ts('last_full_at'),
  lastDurationMs: integer('last_duration_ms'),
  lastError: text('last_error'),
  keysUpdated: integer('keys_updated'),
  runs: big('runs'),
  failures: big('failures'),
  /** The usage sync's last cycle that read CRS's lifetime totals (usage-stats), docs/decisions/032. */
  lastTotalsAt: ts('last_totals_at'),
  /** The next usage sync must read usage-stats (a key came back or was adopted, a day counted lower). */
  totalsDue: boolean('totals_due').notNull().default(false),
});

/**
 * The shared schedule of the background jobs (docs/decisions/016-leader-lease.md). The row `leader` is the
 * lease (holder = an instance id, lease_until); one row per job holds its next_run_at (holder = the instance
 * that claimed its latest run). Times are PostgreSQL's `now()`, so the instances' clocks do not matter.
 */
export const jobLeases = pgTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder'),
  leaseUntil: ts('lease_until'),
  nextRunAt: ts('next_run_at'),
});

export const schema = {
  users,
  sessions,
  apiKeys,
  keyCreates,
  usageDaily,
  invites,
  setupTokens,
  portalSettings,
  rateLimits,
  auditLog,
  jobState,
  jobLeases,
};
