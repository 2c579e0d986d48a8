import { z } from 'zod';

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
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  CRS_BASE_URL: optionalUrl,
  CRS_ADMIN_USERNAME: optionalString,
  CRS_ADMIN_PASSWORD: optionalString,
  CRS_PUBLIC_URL: optionalUrl,
  CRS_TIMEOUT_MS: int(10_000, 100, 300_000),
  CRS_SYNC_TIMEOUT_MS: int(300_000, 1_000, 3_600_000),
  CACHE_MEMORY_MB: int(64, 4, 4096),
  CRS_TIMEZONE_OFFSET: int(8, -12, 14),
  SYNC_INTERVAL: int(60, 5, 86_400),
  REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
  ADMIN_EMAIL: optionalString.pipe(z.email({ message: 'must be an email address' }).optional()),
  DEFAULT_MAX_KEYS: int(10, 0, 10_000),
  SESSION_TTL_HOURS: int(24 * 30, 1, 24 * 365),
  KEY_MAX_TOKEN_LIMIT: int(0, 0, Number.MAX_SAFE_INTEGER),
  KEY_MAX_DAILY_COST: money(0),
  KEY_MAX_TOTAL_COST: money(0),
  KEY_MAX_RATE_LIMIT_REQUESTS: int(0, 0, 1_000_000),
  KEY_MAX_CONCURRENCY: int(0, 0, 10_000),
  KEY_RATE_LIMIT_WINDOW: int(60, 1, 525_600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  DEMO_TRAFFIC_RPM: int(30, 0, 100_000),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
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

export interface Config {
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
    /** Timeout of the sync's bulk reads (usage-stats, the per-key trend): minutes at 100,000 keys. */
    syncTimeoutMs: number;
    timezoneOffset: number;
  };
  syncIntervalSec: number;
  /** Budget of the memory cache tier (entries are counted by their JSON size). */
  cacheMemoryMb: number;
  registration: 'open' | 'invite' | 'closed';
  adminEmail?: string;
  defaultMaxKeys: number;
  sessionTtlHours: number;
  keyLimitCaps: KeyLimitCaps;
  logLevel: string;
  trustProxy: boolean;
  demoTrafficRpm: number;
  /** Bearer token for /metrics and the detailed /api/health; absent: /metrics is public, details admin-only. */
  metricsToken?: string;
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
      syncTimeoutMs: e.CRS_SYNC_TIMEOUT_MS,
      timezoneOffset: e.CRS_TIMEZONE_OFFSET,
    },
    syncIntervalSec: e.SYNC_INTERVAL,
    cacheMemoryMb: e.CACHE_MEMORY_MB,
    registration: e.REGISTRATION,
    adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
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
    trustProxy: e.TRUST_PROXY,
    demoTrafficRpm: e.DEMO_TRAFFIC_RPM,
    metricsToken: e.METRICS_TOKEN,
  };
}
