/**
 * The portal's own view of CRS (docs/crs.md), normalised at the boundary: numbers are numbers,
 * `permissions` is an array, "" timestamps are null. Nothing outside src/infra/crs sees CRS's raw shapes.
 */

import type { UsageFigures } from '../../domain/usage/figures.js';

export interface CrsKey {
  id: string;
  name: string;
  description: string;
  isActive: boolean;
  isDeleted: boolean;
  tags: string[];
  tokenLimit: number;
  concurrencyLimit: number;
  rateLimitWindow: number;
  rateLimitRequests: number;
  rateLimitCost: number;
  dailyCostLimit: number;
  totalCostLimit: number;
  weeklyOpusCostLimit: number;
  permissions: string[];
  enableModelRestriction: boolean;
  restrictedModels: string[];
  /** ISO or null (never expires). */
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** Fields the portal sets on create; CRS ignores isActive on create (docs/crs.md §4.3). */
export interface CrsCreateKeyInput {
  name: string;
  description?: string;
  tags: string[];
  expiresAt?: string | null;
  tokenLimit?: number;
  dailyCostLimit?: number;
  totalCostLimit?: number;
  rateLimitWindow?: number;
  rateLimitRequests?: number;
  rateLimitCost?: number;
  concurrencyLimit?: number;
  weeklyOpusCostLimit?: number;
  enableModelRestriction?: boolean;
  restrictedModels?: string[];
}

export interface CrsCreatedKey {
  key: CrsKey;
  /** The plaintext `cr_…` secret: returned exactly once by CRS; the portal passes it to the user and forgets it. */
  secret: string;
}

/**
 * Partial update for PUT /admin/api-keys/:id. `description` cannot be changed in CRS, and `expiresAt` is not
 * here on purpose: it goes through `setExpiration`, which leaves `isActive` alone (docs/crs.md, quirk 5).
 */
export interface CrsUpdateKeyInput {
  name?: string;
  isActive?: boolean;
  tags?: string[];
  tokenLimit?: number;
  dailyCostLimit?: number;
  totalCostLimit?: number;
  rateLimitWindow?: number;
  rateLimitRequests?: number;
  rateLimitCost?: number;
  concurrencyLimit?: number;
  weeklyOpusCostLimit?: number;
  enableModelRestriction?: boolean;
  restrictedModels?: string[];
}

/** One entry of GET /admin/api-keys/deleted: a soft-deleted key (restorable by the operator). */
export interface CrsDeletedKey {
  id: string;
  name: string;
  deletedAt: string | null;
}

export interface CrsListKeysQuery {
  page?: number;
  /** CRS accepts only 10, 20, 50, 100. */
  pageSize?: 10 | 20 | 50 | 100;
  tag?: string;
  search?: string;
  isActive?: boolean;
  sortBy?: 'name' | 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'isActive' | 'status';
  sortOrder?: 'asc' | 'desc';
}

export interface CrsKeyPage {
  items: CrsKey[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

/** A key's lifetime figures; `tokens` is CRS's "allTokens" (input + output + cache create + cache read). */
export type CrsUsageTotals = UsageFigures;

/** One entry of GET /admin/usage-stats: lifetime totals of one non-deleted key. */
export interface CrsKeyUsage {
  keyId: string;
  name: string;
  total: CrsUsageTotals;
}

/** GET /admin/api-keys-usage-trend?days=N: one key's usage on one CRS day (only days with usage appear). */
export interface CrsTrendEntry {
  date: string;
  keyId: string;
  tokens: number;
  requests: number;
  cost: number;
}

/**
 * POST /apiStats/api/user-stats by key id (docs/crs.md §6): what CRS counts against a key's limits right now. The
 * rate window is null when none is open; money is USD.
 */
export interface CrsKeyLimitFigures {
  /** ISO instants of the open rate window, or null. */
  windowStart: string | null;
  windowEnd: string | null;
  windowRequests: number;
  windowTokens: number;
  windowCost: number;
  /** This week's Opus cost (the week since the key's last weekly reset). */
  weeklyOpusCost: number;
  /** 1 = Monday … 7 = Sunday, 0–23, in CRS's timezone. */
  weeklyResetDay: number;
  weeklyResetHour: number;
  dailyCost: number;
  totalCost: number;
}

export interface CrsModelStat {
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  tokens: number;
  cost: number;
}

export interface CrsUsageRecord {
  timestamp: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  tokens: number;
  cost: number;
  durationMs: number | null;
  statusCode: number | null;
}

/** GET /admin/dashboard, the parts an operator reads. */
export interface CrsDashboard {
  totalApiKeys: number;
  activeApiKeys: number;
  totalRequests: number;
  totalTokens: number;
  totalInputTokens: number;
  totalOutputTokens: number;
  totalCacheCreateTokens: number;
  totalCacheReadTokens: number;
  requestsToday: number;
  /** CRS's `tokensToday`: input + output only (docs/crs.md §5.6). */
  tokensToday: number;
  inputTokensToday: number;
  outputTokensToday: number;
  cacheCreateTokensToday: number;
  cacheReadTokensToday: number;
  rpm: number;
  tpm: number;
  realtimeRpm: number;
  realtimeTpm: number;
  redisConnected: boolean;
  uptimeSeconds: number;
  timezoneOffset: number;
}

export interface CrsTrendDay {
  date: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  tokens: number;
  cost: number;
}

export type CrsModelPeriod =
  | { period: 'daily' }
  | { period: 'monthly' }
  | { period: 'custom'; startDate: string; endDate: string };

/**
 * Every CRS call the portal makes. Failures are thrown as AppError: `not_found` (unknown key, including CRS's
 * 500 "API key not found"), `upstream_unavailable` (down, timeout, circuit open), `upstream_error` (CRS
 * answered with something we cannot use), `bad_request` (CRS rejected our input).
 * For a write, `upstream_unavailable` is the one unknown outcome: no answer came (or an unreadable 2xx), and the
 * write may still happen (docs/crs.md, quirk 17). Every other failure is an answer: CRS did not make the change.
 */
export type CrsProbe = { up: true } | { up: false; reason: string };

/**
 * The consumer of a bulk answer read as it arrives: `write` gets the records in batches and is awaited before
 * more is read (backpressure). `restart` is called before the first batch of every attempt: a retried read, or
 * another source taking over (docs/decisions/022), hands everything over again.
 */
export interface BatchSink<T> {
  restart?(): unknown;
  write(batch: T[]): unknown;
}

export interface CrsClient {
  listKeys(query: CrsListKeysQuery): Promise<CrsKeyPage>;
  /**
   * Every page of keys with `tag`, fetched pageSize=100 at a time; `pick` keeps only what the caller needs of
   * each key (100,000 whole keys would hold ~100 MB).
   */
  listAllKeys<T = CrsKey>(tag: string, pick?: (key: CrsKey) => T): Promise<T[]>;
  /**
   * The same pages, each handed to `onPage` as it arrives (awaited: at most a few pages are in flight or held).
   * Pages come in any order; a key may show on two of them when the list shifts meanwhile, and the lowest page
   * is the one to keep (what listAllKeys returns). `restart` is called when what was handed over so far must be
   * dropped: a direct read of CRS's Redis that failed midway, before the admin API lists again (decision 037).
   */
  eachKeyPage(
    tag: string,
    onPage: (items: CrsKey[], page: number) => unknown,
    opts?: { restart?: () => unknown },
  ): Promise<void>;
  /**
   * A key by id through the list's `search` (CRS has no get-one route, docs/crs.md quirk 1): pages through the
   * keys whose name contains `search` until the id turns up; undefined when it does not. Slow in CRS (a full
   * keyspace scan per page): only for the few keys the tag-filtered list missed.
   */
  findKey(id: string, search: string): Promise<CrsKey | undefined>;
  /** GET /admin/api-keys/deleted: every soft-deleted key. */
  listDeletedKeys(): Promise<CrsDeletedKey[]>;
  createKey(input: CrsCreateKeyInput): Promise<CrsCreatedKey>;
  updateKey(id: string, input: CrsUpdateKeyInput): Promise<void>;
  /** PATCH /admin/api-keys/:id/expiration: null = never. Leaves isActive alone. */
  setExpiration(id: string, expiresAt: string | null): Promise<void>;
  /**
   * Soft delete (the key stops working, CRS keeps its usage; the operator can restore it). The portal never
   * hard-deletes (docs/decisions/010): there is deliberately no method for DELETE …/permanent.
   */
  deleteKey(id: string): Promise<void>;
  usageStats(): Promise<CrsKeyUsage[]>;
  /** usage-stats read as it arrives and handed to `sink` in batches (100,000 keys never sit in memory at once). */
  streamUsageStats(sink: BatchSink<CrsKeyUsage>): Promise<void>;
  /**
   * The per-key daily trend of the last `days` CRS days, read as it arrives and handed over in batches
   * (awaited). A failed attempt that is retried hands its entries over again: `onBatch` must be idempotent.
   */
  keysUsageTrend(days: number, onBatch: (entries: CrsTrendEntry[]) => unknown): Promise<void>;
  /**
   * The per-key hourly trend between two instants (at most 24 h apart, CRS's limit), streamed like the daily one;
   * each entry's `date` is the ISO instant its hour starts (CRS's `hour`, in UTC).
   */
  keysHourlyTrend(start: string, end: string, onBatch: (entries: CrsTrendEntry[]) => unknown): Promise<void>;
  /**
   * One key's limit figures (the rate window, the weekly Opus cost), from CRS's per-key stats by id: the only place
   * CRS says them without scanning its keyspace (docs/decisions/024). `not_found` for an unknown or deleted key;
   * a disabled or expired key is refused (CRS answers 403).
   */
  keyLimitFigures(id: string): Promise<CrsKeyLimitFigures>;
  usageTrend(days: number): Promise<CrsTrendDay[]>;
  dashboard(): Promise<CrsDashboard>;
  /** CRS answers 200 [] for an unknown id here (no not_found possible). */
  keyModelStats(id: string, period: CrsModelPeriod): Promise<CrsModelStat[]>;
  /** Newest first; pageSize 1..200 (default 50); CRS keeps only the last 200 requests of a key. */
  keyUsageRecords(id: string, opts?: { pageSize?: number }): Promise<CrsUsageRecord[]>;
  /** GET /health (not retried): resolves when CRS answers; `ok` = CRS reports itself healthy. */
  health(): Promise<{ ok: boolean; version?: string }>;
  /**
   * An authenticated cheap call (`GET /web/auth/user`, logging in first when needed), one attempt bounded by
   * `timeoutMs`: whether CRS is usable with the portal's credentials, and if not why ("credentials rejected",
   * "connection refused (ECONNREFUSED)", "timeout: …"). Never rejects. For /api/health and the start-up check.
   */
  probe(timeoutMs: number): Promise<CrsProbe>;
  /** Circuit breaker state, for /api/health. */
  state(): 'closed' | 'open' | 'half-open';
}
