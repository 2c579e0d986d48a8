import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { authEnvShape, flag, type MfaConfig, type OidcConfig, readAuthConfig } from './config-auth.js';
import { type NotifyConfig, notifyEnvShape, readNotifyConfig } from './config-notify.js';

/**
 * Every environment variable the portal reads, with its default, in one place.
 * `loadConfig` never reads `process.env` itself, so tests and the benchmark pass their own maps.
 */
const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const optionalUrl = optionalString.pipe(z.url({ message: 'must be a URL' }).optional());
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const redisUrl = optionalString.pipe(
  z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
);
const money = (def: number) => z.coerce.number().min(0).max(1_000_000).default(def);

const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  REDIS_URL: redisUrl,
  CRS_BASE_URL: optionalUrl,
  CRS_ADMIN_USERNAME: optionalString,
  CRS_ADMIN_PASSWORD: optionalString,
  CRS_PUBLIC_URL: optionalUrl,
  CRS_REDIS_URL: redisUrl,
  CRS_TIMEOUT_MS: int(10_000, 100, 300_000),
  CRS_SYNC_TIMEOUT_MS: int(300_000, 1_000, 3_600_000),
  CACHE_MEMORY_MB: int(32, 4, 4096),
  HEAP_GROWTH_PERCENT: int(20, 0, 300),
  HEAP_HEADROOM_MB: int(20, 0, 4096),
  HEAP_PRETENURING: flag,
  CRS_TIMEZONE_OFFSET: int(8, -12, 14),
  SYNC_INTERVAL: int(60, 5, 86_400),
  SYNC_LIMIT_READS: int(50, 0, 1000),
  SYNC_MODEL_READS: int(20, 0, 1000),
  SYNC_TOTALS_INTERVAL: int(600, 0, 86_400),
  REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
  ADMIN_EMAIL: optionalString.pipe(z.email({ message: 'must be an email address' }).optional()),
  ADMIN_PASSWORD: optionalString,
  ADMIN_PASSWORD_FILE: optionalString,
  PUBLIC_URL: optionalUrl,
  SESSION_MAX_PER_USER: int(20, 1, 1000),
  INVITE_TTL_DAYS: int(7, 1, 365),
  KEY_WRITES_PER_MINUTE: int(30, 1, 10_000),
  DEFAULT_MAX_KEYS: int(10, 0, 10_000),
  SESSION_TTL_HOURS: int(24 * 30, 1, 24 * 365),
  KEY_MAX_TOKEN_LIMIT: int(0, 0, Number.MAX_SAFE_INTEGER),
  KEY_MAX_DAILY_COST: money(0),
  KEY_MAX_TOTAL_COST: money(0),
  KEY_MAX_RATE_LIMIT_REQUESTS: int(0, 0, 1_000_000),
  KEY_MAX_CONCURRENCY: int(0, 0, 10_000),
  KEY_RATE_LIMIT_WINDOW: int(60, 1, 525_600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().trim().default(''),
  DEMO_TRAFFIC_RPM: int(30, 0, 100_000),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  COMPRESS_MIN_BYTES: z
    .string()
    .trim()
    .toLowerCase()
    .default('16384')
    .refine((v) => v === 'off' || /^\d{1,9}$/.test(v), 'must be a number of bytes or off'),
  ...notifyEnvShape,
  ...authEnvShape,
});

export type Env = z.input<typeof envSchema>;

export interface KeyLimitCaps {
  /** 0 = the operator sets no cap (any value, including unlimited, is allowed). Per `perWindowMinutes`. */
  tokenLimit: number;
  dailyCostLimit: number;
  totalCostLimit: number;
  /** Per `perWindowMinutes`. */
  rateLimitRequests: number;
  concurrencyLimit: number;
  /**
   * The window the two per-window caps are stated for (KEY_RATE_LIMIT_WINDOW, minutes): a key with its own window
   * W is capped at ⌊cap × W / perWindowMinutes⌋ (at least 1); a capped key without a window gets this one.
   */
  perWindowMinutes: number;
}

export interface Config extends MfaConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Absent: the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  /** Absent: memory cache only. */
  redisUrl?: string;
  /** True when no CRS_BASE_URL is set: the built-in emulator with demo data stands in for CRS. */
  demo: boolean;
  crs: {
    baseUrl?: string;
    adminUsername: string;
    adminPassword: string;
    /** The URL key holders point Claude Code at (defaults to the CRS base URL). */
    publicUrl?: string;
    timeoutMs: number;
    /**
     * CRS's own Redis, read-only: the sync's usage reads come from there (docs/decisions/022), the admin API
     * stays the fallback. Absent: everything through the admin API.
     */
    redisUrl?: string;
    /** Timeout of the sync's bulk reads (usage-stats, the per-key trend): minutes at 100,000 keys. */
    syncTimeoutMs: number;
    timezoneOffset: number;
  };
  syncIntervalSec: number;
  /**
   * The sync's per-key CRS reads per cycle, beyond its bulk reads (docs/decisions/024, 025): limit figures of keys
   * with a rate window or weekly Opus limit, and per-model figures, each only for keys used since their last read.
   * A bound, whatever the number of users or keys: 0 turns a kind off.
   */
  syncKeyReads: { limits: number; models: number };
  /**
   * At most this long between two reads of CRS's lifetime totals (usage-stats); in between the sync adds the
   * daily trend's increments (docs/decisions/032). 0: every cycle.
   */
  syncTotalsIntervalSec: number;
  /** Budget of the memory cache tier (entries are counted by their JSON size). */
  cacheMemoryMb: number;
  /**
   * How far V8's old generation may grow past what survived the last full collection before the next one
   * (docs/decisions/040): the floor of the adaptive factor; 0 leaves V8's own policy (up to 4× on a large host).
   */
  heapGrowthPercent: number;
  /** How far past its live bytes a small heap may grow before its next full collection (docs/decisions/043). */
  heapHeadroomMb: number;
  /** Keep V8's allocation-site pretenuring (off by default: docs/decisions/044). */
  heapPretenuring: boolean;
  registration: 'open' | 'invite' | 'closed';
  /** With adminPassword: this admin is created (or its password reset when the value changes) at start. */
  adminEmail?: string;
  adminPassword?: string;
  /**
   * The portal's own origin as browsers see it (e.g. https://portal.example.com): https here switches on HSTS and
   * the `__Host-` Secure session cookie, and the CSRF check compares Origin with it.
   */
  publicUrl?: URL;
  /** Live sessions per user; a new sign-in beyond it revokes the oldest. */
  sessionMaxPerUser: number;
  inviteTtlDays: number;
  /** Key creates, updates and deletes per user per minute. */
  keyWritesPerMinute: number;
  defaultMaxKeys: number;
  sessionTtlHours: number;
  keyLimitCaps: KeyLimitCaps;
  logLevel: string;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses/CIDRs (never "trust everything"). */
  trustProxy: false | number | string[];
  demoTrafficRpm: number;
  /** Bearer token for /metrics and the detailed /api/health; absent: /metrics is public, details admin-only. */
  metricsToken?: string;
  /** E-mail and webhook channels of notifications (config-notify.ts). */
  notify: NotifyConfig;
  /** OpenID Connect single sign-on (config-auth.ts); absent: password sign-in only. */
  oidc?: OidcConfig;
  /**
   * API answers of at least this many bytes are compressed (br or gzip), never one that carries a secret; null:
   * none (a reverse proxy compresses). The web app's files are precompressed at build either way.
   */
  compressMinBytes: number | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Demo (embedded emulator) or production (a real CRS): what /api/health, /api/meta and the log say. */
export const runMode = (config: Pick<Config, 'demo'>): 'demo' | 'production' => (config.demo ? 'demo' : 'production');

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.CRS_BASE_URL && (!e.CRS_ADMIN_USERNAME || !e.CRS_ADMIN_PASSWORD)) {
    problems.push('CRS_ADMIN_USERNAME and CRS_ADMIN_PASSWORD: required when CRS_BASE_URL is set');
  }
  if (e.CRS_REDIS_URL && !e.CRS_BASE_URL) {
    // Demo mode has no CRS whose Redis could be read; and the admin API is always needed as the fallback.
    problems.push("CRS_REDIS_URL: needs CRS_BASE_URL (it is CRS's Redis, read beside CRS's admin API)");
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY, problems);
  const adminPassword = readAdminPassword(e, problems);
  const publicUrl = e.PUBLIC_URL ? new URL(e.PUBLIC_URL) : undefined;
  if (publicUrl && (!/^https?:$/.test(publicUrl.protocol) || publicUrl.pathname !== '/' || publicUrl.search)) {
    problems.push(`PUBLIC_URL: must be the portal's origin, e.g. https://portal.example.com (got ${e.PUBLIC_URL})`);
  }
  const notify = readNotifyConfig(e, problems);
  const auth = readAuthConfig(e, publicUrl, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    demo: !e.CRS_BASE_URL,
    crs: {
      baseUrl: e.CRS_BASE_URL,
      adminUsername: e.CRS_ADMIN_USERNAME ?? 'admin',
      adminPassword: e.CRS_ADMIN_PASSWORD ?? 'admin',
      publicUrl: e.CRS_PUBLIC_URL,
      timeoutMs: e.CRS_TIMEOUT_MS,
      redisUrl: e.CRS_REDIS_URL,
      syncTimeoutMs: e.CRS_SYNC_TIMEOUT_MS,
      timezoneOffset: e.CRS_TIMEZONE_OFFSET,
    },
    syncIntervalSec: e.SYNC_INTERVAL,
    syncKeyReads: { limits: e.SYNC_LIMIT_READS, models: e.SYNC_MODEL_READS },
    syncTotalsIntervalSec: e.SYNC_TOTALS_INTERVAL,
    cacheMemoryMb: e.CACHE_MEMORY_MB,
    heapGrowthPercent: e.HEAP_GROWTH_PERCENT,
    heapHeadroomMb: e.HEAP_HEADROOM_MB,
    heapPretenuring: e.HEAP_PRETENURING,
    registration: e.REGISTRATION,
    adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
    adminPassword,
    publicUrl,
    sessionMaxPerUser: e.SESSION_MAX_PER_USER,
    inviteTtlDays: e.INVITE_TTL_DAYS,
    keyWritesPerMinute: e.KEY_WRITES_PER_MINUTE,
    defaultMaxKeys: e.DEFAULT_MAX_KEYS,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    keyLimitCaps: {
      tokenLimit: e.KEY_MAX_TOKEN_LIMIT,
      dailyCostLimit: e.KEY_MAX_DAILY_COST,
      totalCostLimit: e.KEY_MAX_TOTAL_COST,
      rateLimitRequests: e.KEY_MAX_RATE_LIMIT_REQUESTS,
      concurrencyLimit: e.KEY_MAX_CONCURRENCY,
      perWindowMinutes: e.KEY_RATE_LIMIT_WINDOW,
    },
    logLevel: e.LOG_LEVEL,
    trustProxy,
    demoTrafficRpm: e.DEMO_TRAFFIC_RPM,
    metricsToken: e.METRICS_TOKEN,
    notify,
    ...auth,
    compressMinBytes: e.COMPRESS_MIN_BYTES === 'off' ? null : Number(e.COMPRESS_MIN_BYTES),
  };
}

/**
 * `TRUST_PROXY`: a hop count (`1` behind one reverse proxy) or the proxies' addresses/CIDRs. `true` used to trust
 * every X-Forwarded-For entry, including the ones a client writes itself, so it is refused with the fix spelled out.
 */
function parseTrustProxy(raw: string, problems: string[]): Config['trustProxy'] {
  const v = raw.toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') {
    problems.push(
      'TRUST_PROXY: "true" trusts X-Forwarded-For entries written by clients; set the number of proxies in front ' +
        'of the portal (TRUST_PROXY=1 behind one nginx/Caddy) or their addresses (TRUST_PROXY=10.0.0.0/8,127.0.0.1)',
    );
    return false;
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) problems.push(`TRUST_PROXY: ${hops} proxy hops is not plausible (at most 10)`);
    return hops;
  }
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !isAddressOrCidr(s));
  if (bad.length) {
    problems.push(`TRUST_PROXY: not a hop count nor an address/CIDR list (${bad.join(', ')})`);
    return false;
  }
  return list;
}

function isAddressOrCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** ADMIN_PASSWORD or the first line of ADMIN_PASSWORD_FILE (a Docker/Kubernetes secret), never both. */
function readAdminPassword(e: z.output<typeof envSchema>, problems: string[]): string | undefined {
  if (e.ADMIN_PASSWORD && e.ADMIN_PASSWORD_FILE) {
    problems.push('ADMIN_PASSWORD and ADMIN_PASSWORD_FILE: set one of them, not both');
    return undefined;
  }
  let password = e.ADMIN_PASSWORD;
  if (e.ADMIN_PASSWORD_FILE) {
    try {
      password = readFileSync(e.ADMIN_PASSWORD_FILE, 'utf8').split(/\r?\n/)[0];
    } catch (err) {
      problems.push(`ADMIN_PASSWORD_FILE: cannot read ${e.ADMIN_PASSWORD_FILE} (${(err as Error).message})`);
      return undefined;
    }
  }
  if (password === undefined) return undefined;
  const which = e.ADMIN_PASSWORD_FILE ? 'ADMIN_PASSWORD_FILE' : 'ADMIN_PASSWORD';
  if (!e.ADMIN_EMAIL) problems.push(`${which}: needs ADMIN_EMAIL (the admin's address)`);
  if (password.length < 10 || password.length > 200) problems.push(`${which}: must be 10 to 200 characters`);
  return password;
}
