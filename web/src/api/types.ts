/** Shapes of the public HTTP API (docs api.md; src/http/schemas). The UI reads nothing else. */

export type Role = 'user' | 'admin';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export type KeyStatus = 'active' | 'disabled' | 'expired' | 'deleted';

export interface Limits {
  /** Per rate window: CRS counts it only when rateLimitWindow > 0. */
  tokenLimit: number;
  dailyCostLimit: number;
  totalCostLimit: number;
  /** Minutes. */
  rateLimitWindow: number;
  /** Per rate window. */
  rateLimitRequests: number;
  /** USD per rate window. */
  rateLimitCost: number;
  concurrencyLimit: number;
  weeklyOpusCostLimit: number;
}

/** What the operator holds on a key in CRS: the owner cannot loosen it until an admin releases it. */
export interface OperatorHold {
  disabled: boolean;
  /** Ceilings (for rateLimitWindow: the shortest window). */
  limits: Partial<Limits>;
  models: string[];
  since: string;
}

export interface TokenSplit {
  requests: number;
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  cost: number;
}

export interface Key {
  id: string;
  name: string;
  description: string;
  status: KeyStatus;
  maskedKey: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  limits: Limits;
  /** Models this key may NOT use (a block list, docs/decisions/004). */
  models: string[];
  /** `operator`: made by the operator in CRS for this user; its secret was never shown here. */
  origin: 'portal' | 'operator';
  operator: OperatorHold | null;
  /** For a deleted key: `deleted` (soft-deleted in CRS, restorable there) or `gone`. */
  crsState: 'live' | 'deleted' | 'gone';
  usage: TokenSplit & { asOf: string | null };
}

/** GET /api/admin/keys */
export interface AdminKey {
  id: string;
  name: string;
  status: KeyStatus;
  origin: 'portal' | 'operator';
  owner: { id: string; email: string };
  operator: OperatorHold | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export type KeySort = 'createdAt' | 'lastUsedAt' | 'tokens' | 'cost';
export type SortOrder = 'asc' | 'desc';

export interface KeyInput {
  name?: string;
  description?: string;
  expiresAt?: string | null;
  limits?: Partial<Limits>;
  models?: string[];
  status?: 'active' | 'disabled';
}

export interface Instructions {
  baseUrl: string;
  env: Record<string, string>;
  snippet: string;
}

export interface Fresh {
  asOf: string | null;
  stale: boolean;
}

export interface RangeEcho {
  from: string;
  to: string;
  timezone: string;
}

export interface SeriesPoint {
  date: string;
  requests: number;
  tokens: number;
  cost: number;
}

export interface Usage extends Fresh {
  range: RangeEcho;
  totals: TokenSplit;
  series: SeriesPoint[];
  perKey: { keyId: string; name: string; requests: number; tokens: number; cost: number }[];
}

export type CompareEntry =
  | { keyId: string; name: string; totals: TokenSplit; series: SeriesPoint[] }
  | { keyId: string; error: { code: string; message: string } };

export interface Compare extends Fresh {
  range: RangeEcho;
  keys: CompareEntry[];
}

export type LeaderboardSort = 'tokens' | 'requests' | 'cost';

export interface Leaderboard extends Fresh {
  sortBy: LeaderboardSort;
  scope: 'mine' | 'all';
  items: {
    rank: number;
    keyId: string;
    name: string;
    owner?: string;
    requests: number;
    tokens: number;
    cost: number;
    lastUsedAt: string | null;
  }[];
}

export interface ModelRow extends TokenSplit {
  model: string;
}

export interface Models extends Fresh {
  range: RangeEcho;
  items: ModelRow[];
}

export interface RecentRequest extends Omit<ModelRow, 'requests'> {
  timestamp: string;
  durationMs: number | null;
  statusCode: number | null;
}

export interface Requests extends Fresh {
  items: RecentRequest[];
}

export interface NamespaceStats {
  hits: number;
  misses: number;
  stale: number;
  hitRate: number;
}

export interface CacheStats {
  hitRate: number;
  namespaces: Record<string, NamespaceStats>;
}

export interface CrsTrend {
  days: { date: string; requests: number; tokens: number; cost: number }[];
  asOf?: string;
  error?: string;
  stale: boolean;
}

/** GET /api/meta: what a signed-out browser may know about this portal. */
export interface Meta {
  mode: 'demo' | 'production';
  registration: 'open' | 'invite' | 'closed';
  defaultMaxKeys: number;
  /** 0 = no cap. */
  keyLimitCaps: {
    tokenLimit: number;
    dailyCostLimit: number;
    totalCostLimit: number;
    rateLimitRequests: number;
    concurrencyLimit: number;
    /** The window (minutes) the token and request caps are stated for. */
    perWindowMinutes: number;
  };
  timezone: string;
  version: string;
  /** No admin yet: registering with the setup token printed at start makes the admin. */
  setupRequired: boolean;
}

export type InviteStatus = 'active' | 'used' | 'expired' | 'revoked';

export interface Invite {
  code: string;
  status: InviteStatus;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
  revokedAt: string | null;
  link: string | null;
}

export interface InvitesCreated {
  codes: string[];
  expiresAt: string;
  links: (string | null)[];
}

export interface Overview {
  mode: 'demo' | 'production';
  crs: Record<string, unknown>;
  crsTrend: CrsTrend;
  portal: { users: number; keys: number; activeKeys: number };
  sync: {
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    lastDurationMs: number | null;
    lastError: string | null;
    keysUpdated: number | null;
    running: boolean;
    intervalSeconds: number;
  };
  cache: CacheStats;
  alerts: { name: string; message: string }[];
}

export interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: 'active' | 'disabled';
  maxKeys: number;
  maxKeysDefault: boolean;
  keys: number;
  createdAt: string;
  lastLoginAt: string | null;
}
