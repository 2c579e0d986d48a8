import { z } from 'zod';
import { isoDateTime, singleLine, tokenSplit } from './common.js';

/*
 * /api/stats/* and a key's CRS details. Every answer here is pre-serialised by the domain (docs/decisions/003): the
 * response schemas document the shapes, and tests/integration/pre-serialised.test.ts parses every such answer
 * against them.
 */

const uuid = z.uuid({ message: 'must be a UUID' });

export const rangeQuery = {
  range: z.enum(['7d', '30d', '90d', '365d'], { message: 'must be one of 7d, 30d, 90d, 365d' }).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
};

export const usageQuery = z.strictObject({
  ...rangeQuery,
  keyId: uuid.optional(),
  /** `hour`: every hour of at most 7 CRS days (CRS keeps hours 7 days); default `day`. */
  granularity: z.enum(['day', 'hour'], { message: 'must be day or hour' }).default('day'),
});
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

const leaderboardSort = z
  .enum(['tokens', 'requests', 'cost'], { message: 'must be one of tokens, requests, cost' })
  .default('tokens');
const leaderboardScope = z.enum(['mine', 'all'], { message: 'must be mine or all' }).default('mine');

export const leaderboardQuery = z.strictObject({
  /** A range as usage takes it ranks by the usage of those days; none ranks by lifetime totals. */
  ...rangeQuery,
  sortBy: leaderboardSort,
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be between 1 and 100' })
    .max(100, { message: 'must be between 1 and 100' })
    .default(10),
  scope: leaderboardScope,
});

export const exportQuery = z.strictObject({
  ...rangeQuery,
  keyId: uuid.optional(),
  format: z.enum(['csv', 'json'], { message: 'must be csv or json' }).default('csv'),
});

export const rangeEcho = z.object({ from: z.string(), to: z.string(), timezone: z.string() });
const seriesPoint = z.object({ date: z.string(), requests: z.number(), tokens: z.number(), cost: z.number() });
const series = z.array(seriesPoint);
export const fresh = { asOf: z.string().nullable(), stale: z.boolean() };

export const usageResponse = z.object({
  granularity: z.literal('day'),
  range: rangeEcho,
  totals: tokenSplit,
  series,
  perKey: z.array(
    z.object({ keyId: z.string(), name: z.string(), requests: z.number(), tokens: z.number(), cost: z.number() }),
  ),
  ...fresh,
});

const brief = { requests: z.number(), tokens: z.number(), cost: z.number() };

/** `granularity=hour`: requests, tokens and cost per hour and key (CRS's hourly trend has no token split). */
export const hourlyUsageResponse = z.object({
  granularity: z.literal('hour'),
  range: rangeEcho,
  totals: z.object(brief),
  series: z.array(
    z.object({
      /** The UTC instant the hour starts. */
      hour: z.string(),
      ...brief,
      /** The keys used in the hour (those with usage only). */
      keys: z.array(z.object({ keyId: z.string(), ...brief })),
    }),
  ),
  perKey: z.array(z.object({ keyId: z.string(), name: z.string(), ...brief })),
  ...fresh,
});

export const usageOrHourly = z.discriminatedUnion('granularity', [usageResponse, hourlyUsageResponse]);

const compareEntry = z.union([
  z.object({ keyId: z.string(), name: z.string(), totals: tokenSplit, series }),
  z.object({ keyId: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export const compareResponse = z.object({ range: rangeEcho, keys: z.array(compareEntry), ...fresh });

export const leaderboardResponse = z.object({
  sortBy: leaderboardSort.unwrap(),
  scope: leaderboardScope.unwrap(),
  /** What the ranking sums: lifetime totals, or the usage of `range`. */
  period: z.enum(['lifetime', 'range']),
  range: rangeEcho.nullable(),
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

const modelRow = tokenSplit.extend({ model: z.string() });

export const modelsResponse = z.object({ range: rangeEcho, items: z.array(modelRow), ...fresh });

const recentRequest = modelRow.omit({ requests: true }).extend({
  timestamp: z.string(),
  durationMs: z.number().nullable(),
  statusCode: z.number().nullable(),
});

/** The request log's page and filters: CRS keeps a key's last 200 requests; `from`/`to` are ISO instants. */
export const requestsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(200).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  model: singleLine(1, 100).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});

export const requestsResponse = z.object({
  items: z.array(recentRequest),
  page: z.number(),
  pageSize: z.number(),
  /** Records matching the filters, of the (at most 200) CRS keeps. */
  total: z.number(),
  /** The models among the kept records (what the model filter may choose). */
  models: z.array(z.string()),
  ...fresh,
});

export type RangeEcho = z.infer<typeof rangeEcho>;
export type SeriesPoint = z.infer<typeof seriesPoint>;
export type UsageResponse = z.infer<typeof usageResponse>;
export type HourlyUsageResponse = z.infer<typeof hourlyUsageResponse>;
export type CompareEntry = z.infer<typeof compareEntry>;
export type CompareResponse = z.infer<typeof compareResponse>;
export type LeaderboardSort = z.infer<typeof leaderboardSort>;
export type LeaderboardScope = z.infer<typeof leaderboardScope>;
export type LeaderboardResponse = z.infer<typeof leaderboardResponse>;
export type ModelRow = z.infer<typeof modelRow>;
export type ModelsResponse = z.infer<typeof modelsResponse>;
export type RecentRequest = z.infer<typeof recentRequest>;
export type RequestsResponse = z.infer<typeof requestsResponse>;
export type LeaderboardPeriod = LeaderboardResponse['period'];
