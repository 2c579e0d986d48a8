import { z } from 'zod';
import { bool, num, permissions, str, strList, timestamp } from './loose.js';
import type { CrsDeletedKey, CrsKey, CrsKeyPage } from './types.js';

/**
 * API-key shapes at the boundary (docs/crs.md §4). Only the fields of `CrsKey` are read; the rest (account
 * bindings, the key hash in `apiKey`, placeholder `usage`…) is dropped by zod's default stripping.
 */
export const keySchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: str,
  isActive: bool,
  isDeleted: bool,
  tags: strList,
  tokenLimit: num,
  concurrencyLimit: num,
  rateLimitWindow: num,
  rateLimitRequests: num,
  rateLimitCost: num,
  dailyCostLimit: num,
  totalCostLimit: num,
  weeklyOpusCostLimit: num,
  permissions,
  enableModelRestriction: bool,
  restrictedModels: strList,
  expiresAt: timestamp,
  lastUsedAt: timestamp,
  createdAt: z.string().min(1),
  updatedAt: timestamp,
}) satisfies z.ZodType<CrsKey>;

/** GET /admin/api-keys */
export const keyPageSchema = z
  .object({
    data: z.object({
      items: z.array(keySchema),
      pagination: z.object({ page: num, pageSize: num, total: num, totalPages: num }),
    }),
  })
  .transform(({ data }): CrsKeyPage => ({ items: data.items, ...data.pagination }));

/** GET /admin/api-keys/deleted: `{success, apiKeys, total}` (no `data` envelope, docs/crs.md §4.5). */
export const deletedKeysSchema = z
  .object({
    apiKeys: z.array(z.object({ id: z.string().min(1), name: str, deletedAt: timestamp })),
  })
  .transform(({ apiKeys }): CrsDeletedKey[] => apiKeys);

/** POST /admin/api-keys: the only answer that carries the plaintext key (`cr_` + 64 hex). */
export const createdKeySchema = z
  .object({
    data: z.object({ apiKey: z.string().startsWith('cr_', 'expected a cr_ key') }).and(keySchema),
  })
  .transform(({ data }) => {
    const { apiKey, ...key } = data;
    return { key, secret: apiKey };
  });

/** Writes answer `{success, message}`; anything JSON with success !== false is accepted. */
export const writeAckSchema = z
  .object({ success: z.boolean().optional() })
  .refine((b) => b.success !== false, 'success is false')
  .transform(() => undefined);

/** GET /health (no auth, no envelope). */
export const healthSchema = z
  .object({ status: z.string().optional(), version: z.string().optional() })
  .transform((b) => ({ ok: b.status === 'healthy', version: b.version }));
