import { z } from 'zod';
import { isoDateTime, multiLine, singleLine, text } from './common.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const usd = z.number().min(0).max(1_000_000);

export const limitsInput = z.strictObject({
  tokenLimit: count.optional(),
  dailyCostLimit: usd.optional(),
  totalCostLimit: usd.optional(),
  rateLimitWindow: z.number().int().min(0).max(525_600).optional(),
  rateLimitRequests: z.number().int().min(0).max(1_000_000).optional(),
  concurrencyLimit: z.number().int().min(0).max(10_000).optional(),
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
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(['active', 'disabled', 'expired', 'deleted', 'all']).optional(),
  search: singleLine(0, 100).optional(),
  sort: z.enum(['createdAt', 'lastUsedAt', 'tokens', 'cost']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

export const keyView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  status: z.enum(['active', 'disabled', 'expired', 'deleted']),
  maskedKey: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  limits: z.object({
    tokenLimit: z.number(),
    dailyCostLimit: z.number(),
    totalCostLimit: z.number(),
    rateLimitWindow: z.number(),
    rateLimitRequests: z.number(),
    concurrencyLimit: z.number(),
  }),
  models: z.array(z.string()),
  usage: z.object({
    requests: z.number(),
    tokens: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheCreateTokens: z.number(),
    cacheReadTokens: z.number(),
    cost: z.number(),
    asOf: z.string().nullable(),
  }),
});

export const keyPage = z.object({
  items: z.array(keyView),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

export const createdKey = z.object({ key: keyView, secret: z.string() });

export const instructions = z.object({
  baseUrl: z.string(),
  env: z.record(z.string(), z.string()),
  snippet: z.string(),
});
