import { z } from 'zod';
import { optionalBody, singleLine } from './common.js';
import { totals } from './stats.js';

export const usersQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
  search: singleLine(0, 100).optional(),
});

export const userPatch = z
  .strictObject({
    status: z.enum(['active', 'disabled']).optional(),
    role: z.enum(['user', 'admin']).optional(),
    maxKeys: z.number().int().min(0).max(10_000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' });

export const adminUser = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  status: z.enum(['active', 'disabled']),
  maxKeys: z.number(),
  maxKeysDefault: z.boolean(),
  keys: z.number(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

export const usersPage = z.object({
  items: z.array(adminUser),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

export const invitesBody = optionalBody(
  z.strictObject({
    count: z.number().int().min(1).max(100).default(1),
    /** Days until the codes expire; INVITE_TTL_DAYS when left out. */
    ttlDays: z.number().int().min(1).max(365).optional(),
  }),
);

export const invitesCreated = z.object({
  codes: z.array(z.string()),
  expiresAt: z.string(),
  /** Registration links (PUBLIC_URL set), in the order of the codes. */
  links: z.array(z.string().nullable()),
});

const inviteStatus = z.enum(['active', 'used', 'expired', 'revoked'], {
  message: 'must be one of active, used, expired, revoked',
});

export const invitesQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
  status: inviteStatus.optional(),
});

export const invitesPage = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      status: inviteStatus,
      createdAt: z.string(),
      createdBy: z.string().nullable(),
      expiresAt: z.string(),
      usedAt: z.string().nullable(),
      usedBy: z.string().nullable(),
      revokedAt: z.string().nullable(),
      link: z.string().nullable(),
    }),
  ),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

export const inviteParams = z.strictObject({
  code: singleLine(1, 200).regex(/^[\w-]+$/, { message: 'must be an invite code' }),
});

export const namespaceName = z.enum(['crs:dashboard', 'crs:trend', 'crs:key-stats', 'keys', 'stats', 'auth'], {
  message: 'must be one of crs:dashboard, crs:trend, crs:key-stats, keys, stats, auth',
});

export const purgeBody = optionalBody(z.strictObject({ namespace: namespaceName.optional() }));

const nsStats = z.object({ hits: z.number(), misses: z.number(), stale: z.number(), hitRate: z.number() });

export const cacheAnswer = z.object({ hitRate: z.number(), namespaces: z.record(z.string(), nsStats) });

export const overviewAnswer = z.object({
  mode: z.enum(['demo', 'production']),
  crs: z.record(z.string(), z.unknown()),
  crsTrend: z.object({
    days: z.array(totals.extend({ date: z.string() })),
    asOf: z.string().optional(),
    error: z.string().optional(),
    stale: z.boolean(),
  }),
  portal: z.object({ users: z.number(), keys: z.number(), activeKeys: z.number() }),
  sync: z.object({
    lastRunAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastDurationMs: z.number().nullable(),
    lastError: z.string().nullable(),
    keysUpdated: z.number().nullable(),
    running: z.boolean(),
    intervalSeconds: z.number(),
  }),
  cache: cacheAnswer,
  alerts: z.array(z.object({ name: z.string(), message: z.string() })),
});

/** `full`: re-read CRS's whole 31-day trend window now instead of the last 2 days. */
export const syncBody = optionalBody(z.strictObject({ full: z.boolean().default(false) }));
