import { z } from 'zod';
import { RELEASABLE } from '../../domain/keys/operator-locks.js';
import { isoDateTime, multiLine, optionalBody, paged, pageQuery, singleLine, text, tokenSplit } from './common.js';

/** /api/keys and /api/admin/keys: requests are strict; responses are allow-lists (the CRS key id never appears). */

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const usd = z.number().min(0).max(1_000_000);

/** "N per M minutes": tokenLimit, rateLimitRequests and rateLimitCost count only inside rateLimitWindow. */
export const limitsInput = z.strictObject({
  tokenLimit: count.optional(),
  dailyCostLimit: usd.optional(),
  totalCostLimit: usd.optional(),
  rateLimitWindow: z.number().int().min(0).max(525_600).optional(),
  rateLimitRequests: z.number().int().min(0).max(1_000_000).optional(),
  rateLimitCost: usd.optional(),
  concurrencyLimit: z.number().int().min(0).max(10_000).optional(),
  weeklyOpusCostLimit: usd.optional(),
});

const models = z
  .array(text(1, 100).regex(/^[\w.:@/-]+$/, { message: 'must be a model name' }))
  .max(50, { message: 'must list at most 50 models' });

export const createKeyBody = z.strictObject({
  name: text(1, 100),
  description: multiLine(0, 500).optional(),
  expiresAt: isoDateTime.nullable().optional(),
  limits: limitsInput.optional(),
  models: models.optional(),
});

export const updateKeyBody = z
  .strictObject({
    name: text(1, 100).optional(),
    description: multiLine(0, 500).optional(),
    expiresAt: isoDateTime.nullable().optional(),
    limits: limitsInput.optional(),
    models: models.optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' });

export const listKeysQuery = z.strictObject({
  ...pageQuery(20),
  status: z.enum(['active', 'disabled', 'expired', 'deleted', 'all']).optional(),
  search: singleLine(0, 100).optional(),
  sort: z.enum(['createdAt', 'lastUsedAt', 'tokens', 'cost']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const limits = z.object({
  tokenLimit: z.number(),
  dailyCostLimit: z.number(),
  totalCostLimit: z.number(),
  rateLimitWindow: z.number(),
  rateLimitRequests: z.number(),
  rateLimitCost: z.number(),
  concurrencyLimit: z.number(),
  weeklyOpusCostLimit: z.number(),
});

/**
 * What the operator holds on a key in CRS (docs/decisions/011): its owner cannot loosen it until an admin releases
 * it. `limits` are ceilings (for rateLimitWindow: the shortest window); null when nothing is held.
 */
export const operatorHold = z
  .object({
    disabled: z.boolean(),
    limits: limits.partial(),
    models: z.array(z.string()),
    since: z.string(),
  })
  .nullable();

const keyStatus = z.enum(['active', 'disabled', 'expired', 'deleted']);

/**
 * One limit meter (docs/product.md §2.4): `used` of `limit` (USD for costs, counts for requests and tokens), until
 * `resetsAt`. `concurrency` has no `used` (CRS does not say how many requests are in flight); `expiry` has neither,
 * its `resetsAt` is when the key stops working. `asOf`: when a CRS-only figure (window, weekly Opus) was read.
 */
export const limitUsage = z.object({
  kind: z.enum([
    'daily_cost',
    'total_cost',
    'weekly_opus_cost',
    'window_requests',
    'window_tokens',
    'window_cost',
    'concurrency',
    'expiry',
  ]),
  used: z.number().nullable(),
  limit: z.number().nullable(),
  resetsAt: z.string().nullable(),
  asOf: z.string().nullable(),
});

export const keyView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  status: keyStatus,
  maskedKey: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  limits,
  /** Models this key may NOT use: CRS's block list (docs/decisions/004). */
  models: z.array(z.string()),
  /** `operator`: made by the operator in CRS for this user; its secret was never shown here. */
  origin: z.enum(['portal', 'operator']),
  operator: operatorHold,
  /** For a deleted key: `deleted` (soft-deleted in CRS, restorable there) or `gone`. */
  crsState: z.enum(['live', 'deleted', 'gone']),
  usage: tokenSplit.extend({ asOf: z.string().nullable() }),
  /** Every limit the key has and how much of it is used: from the portal's data, never a CRS call per view. */
  limitUsage: z.array(limitUsage),
});

export const keyPage = paged(keyView);

export const createdKey = z.object({ key: keyView, secret: z.string() });

export const instructions = z.object({
  baseUrl: z.string(),
  env: z.record(z.string(), z.string()),
  snippet: z.string(),
});

/** GET /api/admin/keys */
export const adminKeysQuery = z.strictObject({
  locked: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  ...pageQuery(50),
});

export const adminKey = z.object({
  id: z.string(),
  name: z.string(),
  status: keyStatus,
  origin: z.enum(['portal', 'operator']),
  owner: z.object({ id: z.string(), email: z.string() }),
  operator: operatorHold,
});

export const adminKeysPage = paged(adminKey);

/** POST /api/admin/keys/:id/release: what to free (default: everything the operator holds). */
const releaseFields = z.strictObject({
  fields: z
    .array(z.enum(RELEASABLE, { message: `must be one of ${RELEASABLE.join(', ')}` }))
    .min(1)
    .optional(),
});
export const releaseBody = optionalBody(releaseFields);

export type KeyStatus = z.infer<typeof keyStatus>;
export type LimitUsage = z.infer<typeof limitUsage>;
export type LimitKind = LimitUsage['kind'];
export type Limits = z.infer<typeof limits>;
export type OperatorHold = NonNullable<z.infer<typeof operatorHold>>;
export type Key = z.infer<typeof keyView>;
export type KeyPage = z.infer<typeof keyPage>;
export type KeySort = z.infer<typeof listKeysQuery>['sort'];
export type SortOrder = z.infer<typeof listKeysQuery>['order'];
export type CreateKeyBody = z.input<typeof createKeyBody>;
/** What a key edit may send: every field optional (at least one). */
export type UpdateKeyBody = z.input<typeof updateKeyBody>;
export type CreatedKey = z.infer<typeof createdKey>;
export type Instructions = z.infer<typeof instructions>;
export type AdminKey = z.infer<typeof adminKey>;
export type AdminKeysPage = z.infer<typeof adminKeysPage>;
export type ReleaseBody = z.input<typeof releaseFields>;
