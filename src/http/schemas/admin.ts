import { z } from 'zod';
import { optionalBody, paged, pageQuery, singleLine, tokenSplit } from './common.js';

/** /api/admin/*: requests are strict; responses are allow-lists (nothing else reaches a client). */

export const usersQuery = z.strictObject({ ...pageQuery(50), search: singleLine(0, 100).optional() });

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

export const usersPage = paged(adminUser);

const inviteFields = z.strictObject({
  count: z.number().int().min(1).max(100).default(1),
  /** Days until the codes expire; INVITE_TTL_DAYS when left out. */
  ttlDays: z.number().int().min(1).max(365).optional(),
});

export const invitesBody = optionalBody(inviteFields);

export const invitesCreated = z.object({
  codes: z.array(z.string()),
  expiresAt: z.string(),
  /** Registration links (PUBLIC_URL set), in the order of the codes. */
  links: z.array(z.string().nullable()),
});

const inviteStatus = z.enum(['active', 'used', 'expired', 'revoked'], {
  message: 'must be one of active, used, expired, revoked',
});

export const invitesQuery = z.strictObject({ ...pageQuery(50), status: inviteStatus.optional() });

const invite = z.object({
  code: z.string(),
  status: inviteStatus,
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  usedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
  link: z.string().nullable(),
});

export const invitesPage = paged(invite);

export const inviteParams = z.strictObject({
  code: singleLine(1, 200).regex(/^[\w-]+$/, { message: 'must be an invite code' }),
});

export const namespaceName = z.enum(['crs:dashboard', 'crs:trend', 'crs:key-stats', 'keys', 'stats', 'auth'], {
  message: 'must be one of crs:dashboard, crs:trend, crs:key-stats, keys, stats, auth',
});

const purgeFields = z.strictObject({ namespace: namespaceName.optional() });
export const purgeBody = optionalBody(purgeFields);
export const purgeResponse = z.object({ deleted: z.number() });

const nsStats = z.object({ hits: z.number(), misses: z.number(), stale: z.number(), hitRate: z.number() });

export const cacheStatsResponse = z.object({ hitRate: z.number(), namespaces: z.record(z.string(), nsStats) });

const crsTrend = z.object({
  days: z.array(tokenSplit.extend({ date: z.string() })),
  asOf: z.string().optional(),
  error: z.string().optional(),
  stale: z.boolean(),
});

export const overviewResponse = z.object({
  mode: z.enum(['demo', 'production']),
  crs: z.record(z.string(), z.unknown()),
  crsTrend,
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
  cache: cacheStatsResponse,
  alerts: z.array(z.object({ name: z.string(), message: z.string() })),
});

/** `full`: re-read CRS's whole 31-day trend window now instead of the last 2 days. */
export const syncBody = optionalBody(z.strictObject({ full: z.boolean().default(false) }));
export const syncResponse = z.object({ started: z.boolean() });

export type AdminUser = z.infer<typeof adminUser>;
export type UserPatch = z.input<typeof userPatch>;
export type UsersPage = z.infer<typeof usersPage>;
export type InviteStatus = z.infer<typeof inviteStatus>;
export type Invite = z.infer<typeof invite>;
export type InvitesPage = z.infer<typeof invitesPage>;
export type InvitesBody = z.input<typeof inviteFields>;
export type InvitesCreated = z.infer<typeof invitesCreated>;
export type PurgeBody = z.input<typeof purgeFields>;
export type PurgeResponse = z.infer<typeof purgeResponse>;
export type CacheStatsResponse = z.infer<typeof cacheStatsResponse>;
export type CrsTrend = z.infer<typeof crsTrend>;
export type OverviewResponse = z.infer<typeof overviewResponse>;
export type SyncResponse = z.infer<typeof syncResponse>;
