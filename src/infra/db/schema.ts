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
import type { AuthMethod, TokenScope } from '../../domain/accounts/types.js';
import type { KeyLimits, OperatorLocks, PendingWrite } from '../../domain/keys/types.js';

/*
 * Money is stored as integer micro-dollars (CRS itself stores `ratedCostMicro`), so sums over days and keys are
 * exact and agree with CRS to the cent; the API converts to USD numbers at the edge.
 * bigint columns use mode 'number': token and micro-dollar totals stay far below 2^53.
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const big = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
/**
 * Keys whose limits only CRS can meter (a rate window, a weekly Opus cost): the sync reads their figures from CRS.
 * One expression for the partial index and the query that uses it (repos/key-reads.ts).
 */
export const METERED = sql.raw(
  "((limits->>'rateLimitWindow')::numeric > 0 or (limits->>'weeklyOpusCostLimit')::numeric > 0)",
);

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
    /** How the session was signed in: `password` or `sso`, then `+totp`, `+recovery` or `+device` (docs/decisions/027). */
    authMethod: text('auth_method').$type<AuthMethod>().notNull().default('password'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/**
 * Personal access tokens (docs/decisions/026): `kpt_` + 256 random bits, only the SHA-256 stored. Scopes say which
 * routes the token may call; never the account, token or admin routes.
 */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters after `kpt_`, to tell tokens apart in the list (8 of 43: no help to a guesser). */
    hint: text('hint').notNull(),
    scopes: jsonb('scopes').$type<TokenScope[]>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at'),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('access_tokens_hash_key').on(t.tokenHash), index('access_tokens_user_idx').on(t.userId)],
);

/**
 * A user's TOTP authenticator (docs/decisions/027). The secret must be readable to verify codes, so it is kept
 * as given to the app; `confirmed_at` null while enrolment waits for the first code. `last_step` is the time step
 * of the last accepted code: a code of that step or an earlier one is a replay.
 */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secret: text('secret').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  confirmedAt: ts('confirmed_at'),
  lastStep: bigint('last_step', { mode: 'number' }).notNull().default(0),
});

/** Ten one-time recovery codes per user, only their SHA-256 stored; a used one keeps its row with `used_at`. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    usedAt: ts('used_at'),
  },
  (t) => [uniqueIndex('recovery_codes_user_hash_key').on(t.userId, t.codeHash)],
);

/** Browsers that may skip the second factor for a while ("remember this device"); the cookie's SHA-256. */
export const trustedDevices = pgTable(
  'trusted_devices',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('trusted_devices_user_idx').on(t.userId)],
);

/** An account's link to an OpenID Provider's subject (docs/decisions/028): one per (issuer, subject). */
export const ssoIdentities = pgTable(
  'sso_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index('sso_identities_user_idx').on(t.userId)],
);

/**
 * Short-lived steps of a sign-in that span requests: an OpenID authorization in flight (state, nonce, PKCE
 * verifier), a second factor owed, an SSO identity waiting to be linked or to sign up. Keyed by the SHA-256 of a
 * random handle the browser holds; taken with DELETE … RETURNING, so each is used once.
 */
export const authFlows = pgTable(
  'auth_flows',
  {
    idHash: text('id_hash').primaryKey(),
    kind: text('kind', { enum: ['oidc', 'mfa', 'sso-pending'] }).notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('auth_flows_expires_idx').on(t.expiresAt)],
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
    // The sync's per-key reads (docs/decisions/024, 025): recently used keys, and keys with metered limits.
    index('api_keys_last_used_idx').on(t.lastUsedAt),
    index('api_keys_metered_idx').on(t.id).where(sql`${METERED}`),
    // The notifications' expiry reminders look up keys expiring within a week (docs/decisions/029).
    index('api_keys_expires_idx').on(t.expiresAt).where(sql`expires_at is not null`),
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

/**
 * The portal's hourly history per key (CRS hours, stored as the UTC instant the hour starts), from CRS's per-key
 * hourly trend: requests, tokens (cache included) and cost, no token split (CRS's hourly trend has none). CRS keeps
 * hourly buckets 7 days (docs/crs.md §7.4); the sync keeps 8 days here and drops older rows.
 */
export const usageHourly = pgTable(
  'usage_hourly',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    hour: ts('hour').notNull(),
    requests: big('requests'),
    tokens: big('tokens'),
    costMicros: big('cost_micros'),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.hour] }),
    index('usage_hourly_user_hour_idx').on(t.userId, t.hour),
    // The sync drops hours past retention by this one.
    index('usage_hourly_hour_idx').on(t.hour),
  ],
);

/**
 * One key's day per model, exactly as CRS's per-key model statistics give it (stored cost, exact token split).
 * Written by the sync for keys used since their last model read (docs/decisions/025); a day whose model rows add
 * up to its `usage_daily` row is "complete" and shown by model, any other day as one row of unknown model.
 */
export const usageDailyModel = pgTable(
  'usage_daily_model',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    model: text('model').notNull(),
    requests: big('requests'),
    tokens: big('tokens'),
    inputTokens: big('input_tokens'),
    outputTokens: big('output_tokens'),
    cacheCreateTokens: big('cache_create_tokens'),
    cacheReadTokens: big('cache_read_tokens'),
    costMicros: big('cost_micros'),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.day, t.model] }),
    index('usage_daily_model_user_day_idx').on(t.userId, t.day),
  ],
);

/**
 * What the sync last read from CRS about one key beyond the bulk reads (docs/decisions/024): its limit figures
 * from CRS's per-key stats (the rate window and the weekly Opus cost, which only CRS counts) and when its models
 * were last read. A key is read again only after it was used (or its limits changed) since.
 */
export const keyCrsReads = pgTable('key_crs_reads', {
  apiKeyId: uuid('api_key_id')
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull(),
  /** When the limit figures below were read (null: never), and the key's last use as known then. */
  limitsReadAt: ts('limits_read_at'),
  limitsSeenUsedAt: ts('limits_seen_used_at'),
  /** The rate window CRS was counting at that moment (null: none open). */
  windowStart: ts('window_start'),
  windowEnd: ts('window_end'),
  windowRequests: big('window_requests'),
  windowTokens: big('window_tokens'),
  windowCostMicros: big('window_cost_micros'),
  /** This week's Opus cost and the week it belongs to (the reset that opened it). */
  opusCostMicros: big('opus_cost_micros'),
  opusWeekStart: ts('opus_week_start'),
  /** CRS's weekly reset of this key: 1 = Monday … 7 = Sunday, hour 0–23, in CRS's timezone. */
  weeklyResetDay: integer('weekly_reset_day').notNull().default(1),
  weeklyResetHour: integer('weekly_reset_hour').notNull().default(0),
  /**
   * When the key's per-model figures were last read (null: never), and its last use as CRS's list said then: a
   * later use (compared on CRS's own clock, never the portal's) makes it due again.
   */
  modelsReadAt: ts('models_read_at'),
  modelsSeenUsedAt: ts('models_seen_used_at'),
});

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

/*
 * Notifications (issue 14; docs/decisions/029 and 030). An event and its delivery rows are written in one
 * transaction (the outbox); the leader's delivery job sends due rows, claimed one by one with a lease.
 */

/** Per user: the language of messages and the daily digest. Null columns follow the admin's defaults. */
export const notificationPrefs = pgTable('notification_prefs', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  language: text('language', { enum: ['en', 'zh-CN'] }),
  digest: boolean('digest'),
  /** 0–23, in CRS's time zone (the portal's days are CRS days). */
  digestHour: integer('digest_hour'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Where a user's notifications go. `email` is the account's own address (users.email, one per user, made on
 * demand when SMTP is configured); the others hold their target in `target` (a webhook's URL and secret, a robot's
 * token), which never leaves the server whole.
 */
export const notificationChannels = pgTable(
  'notification_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    label: text('label').notNull().default(''),
    target: jsonb('target').$type<Record<string, string>>(),
    /** The event categories sent here; null: the admin's defaults (only the account e-mail follows them). */
    events: jsonb('events').$type<string[]>(),
    status: text('status', { enum: ['active', 'paused'] })
      .notNull()
      .default('active'),
    /** Consecutive failed attempts of the channel's own (docs/decisions/023: service failures do not count). */
    failures: integer('failures').notNull().default(0),
    pausedAt: ts('paused_at'),
    pauseReason: text('pause_reason'),
    verifiedAt: ts('verified_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('notification_channels_user_idx').on(t.userId),
    uniqueIndex('notification_channels_email_key').on(t.userId).where(sql`type = 'email'`),
  ],
);

/** One row per event raised: the stable id receivers de-duplicate on, and what happened (the outbox). */
export const notificationEvents = pgTable(
  'notification_events',
  {
    /** `evt_…`: sent as X-KP-Event-Id and the generic webhook's `id`. */
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    audience: text('audience', { enum: ['user', 'admin'] }).notNull(),
    /** The key's owner for key events; null for admin events (every admin) and digests' own rows. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** The event as the renderer takes it (money in micro-dollars, times as ISO strings). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('notification_events_created_idx').on(t.createdAt)],
);

/**
 * What has been raised per subject (docs/decisions/029): a key's limit in a period, a key's expiry, an admin
 * condition. `level` only grows within a subject (threshold 50 → 80 …, expiry 7 d → 1 d → expired), so each
 * crossing is raised once whoever detects it; `raised_at` is for the cool-down.
 */
export const notificationMarks = pgTable(
  'notification_marks',
  {
    subject: text('subject').primaryKey(),
    level: bigint('level', { mode: 'number' }).notNull(),
    raisedAt: ts('raised_at'),
    /** A raise before this time is held back (the cool-down); null: no cool-down. */
    quietUntil: ts('quiet_until'),
    /** When the subject's period is over and the row can go (housekeeping). */
    expiresAt: ts('expires_at'),
  },
  (t) => [index('notification_marks_expires_idx').on(t.expiresAt)],
);

/** One row per event and channel: its state, attempts and lease (docs/decisions/030). */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => notificationEvents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').references(() => notificationChannels.id, { onDelete: 'set null' }),
    /** The channel as it was (the log outlives a deleted channel). */
    channelType: text('channel_type').notNull(),
    channelLabel: text('channel_label').notNull(),
    state: text('state', {
      enum: ['pending', 'sending', 'delivered', 'failed', 'held', 'digested', 'cancelled'],
    }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** When it is due (held rows: when their digest is). */
    nextAttemptAt: ts('next_attempt_at').notNull(),
    claimedBy: text('claimed_by'),
    /** The claim's lease, by PostgreSQL's clock: past it, another instance may take the row over. */
    claimedUntil: ts('claimed_until'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    /** The digest event that carried a held row. */
    digestId: text('digest_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`state in ('pending', 'sending', 'held')`),
    index('notification_deliveries_user_idx').on(t.userId, t.id),
    index('notification_deliveries_event_idx').on(t.eventId),
    index('notification_deliveries_channel_idx').on(t.channelId),
  ],
);

export const schema = {
  users,
  sessions,
  accessTokens,
  totpFactors,
  recoveryCodes,
  trustedDevices,
  ssoIdentities,
  authFlows,
  apiKeys,
  keyCreates,
  usageDaily,
  usageHourly,
  usageDailyModel,
  keyCrsReads,
  invites,
  setupTokens,
  portalSettings,
  rateLimits,
  auditLog,
  jobState,
  jobLeases,
  notificationPrefs,
  notificationChannels,
  notificationEvents,
  notificationMarks,
  notificationDeliveries,
};
