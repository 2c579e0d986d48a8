import { z } from 'zod';

const uuid = z.uuid({ message: 'must be a UUID' });

export const rangeQuery = {
  range: z.enum(['7d', '30d', '90d', '365d'], { message: 'must be one of 7d, 30d, 90d, 365d' }).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
};

export const usageQuery = z.strictObject({ ...rangeQuery, keyId: uuid.optional() });
export const rangeOnlyQuery = z.strictObject(rangeQuery);

export const compareQuery = z.strictObject({
  ...rangeQuery,
  keyIds: z
    .string({ message: 'is required (2 to 10 comma-separated key ids)' })
    .transform((s) => s.split(',').map((id) => id.trim()))
    .pipe(
      z
        .array(uuid)
        .min(2, { message: 'must list at least 2 keys' })
        .max(10, { message: 'must list at most 10 keys' })
        .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat a key' }),
    ),
});

export const leaderboardQuery = z.strictObject({
  sortBy: z
    .enum(['tokens', 'requests', 'cost'], { message: 'must be one of tokens, requests, cost' })
    .default('tokens'),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be between 1 and 100' })
    .max(100, { message: 'must be between 1 and 100' })
    .default(10),
  scope: z.enum(['mine', 'all'], { message: 'must be mine or all' }).default('mine'),
});

export const exportQuery = z.strictObject({
  ...rangeQuery,
  keyId: uuid.optional(),
  format: z.enum(['csv', 'json'], { message: 'must be csv or json' }).default('csv'),
});

const range = z.object({ from: z.string(), to: z.string(), timezone: z.string() });
/** The usage figures every answer shares (totals, model rows, CRS's daily trend). */
export const totals = z.object({
  requests: z.number(),
  tokens: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreateTokens: z.number(),
  cacheReadTokens: z.number(),
  cost: z.number(),
});
const series = z.array(z.object({ date: z.string(), requests: z.number(), tokens: z.number(), cost: z.number() }));
const fresh = { asOf: z.string().nullable(), stale: z.boolean() };

export const usageAnswer = z.object({
  range,
  totals,
  series,
  perKey: z.array(
    z.object({ keyId: z.string(), name: z.string(), requests: z.number(), tokens: z.number(), cost: z.number() }),
  ),
  ...fresh,
});

export const compareAnswer = z.object({
  range,
  keys: z.array(
    z.union([
      z.object({ keyId: z.string(), name: z.string(), totals, series }),
      z.object({ keyId: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
    ]),
  ),
  ...fresh,
});

export const leaderboardAnswer = z.object({
  sortBy: z.string(),
  scope: z.string(),
  items: z.array(
    z.object({
      rank: z.number(),
      keyId: z.string(),
      name: z.string(),
      owner: z.string().optional(),
      requests: z.number(),
      tokens: z.number(),
      cost: z.number(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
  ...fresh,
});

const modelRow = totals.extend({ model: z.string() });

export const modelsAnswer = z.object({ range, items: z.array(modelRow), ...fresh });

export const requestsAnswer = z.object({
  items: z.array(
    modelRow.omit({ requests: true }).extend({
      timestamp: z.string(),
      durationMs: z.number().nullable(),
      statusCode: z.number().nullable(),
    }),
  ),
  ...fresh,
});
