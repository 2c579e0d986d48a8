import { z } from 'zod';
import { isoDateTime, singleLine } from './common.js';
import { limitUsage } from './keys.js';

/* Personal access tokens (docs/decisions/026) and the status-bar summary they are made for. */

export const createTokenBody = z.strictObject({
  name: singleLine(1, 100),
  scopes: z
    .array(z.enum(['read', 'keys']))
    .min(1, { message: 'must name at least one scope' })
    .max(2)
    .describe('`read`: usage, limits and keys (read-only); `keys`: create, change and delete keys'),
  expiresAt: isoDateTime.nullable().optional().describe('Absent or null: the token does not expire'),
});

export const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('`kpt_` and the first characters, to tell tokens apart'),
  scopes: z.array(z.enum(['read', 'keys'])),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

export const createdToken = tokenView.extend({
  token: z.string().describe('The token, shown this once: send it as `Authorization: Bearer kpt_…`'),
});

export const tokenList = z.object({ items: z.array(tokenView) });

const spend = z.object({ requests: z.number(), tokens: z.number(), cost: z.number() });

export const meSummary = z.object({
  timezone: z.string().describe("CRS's day boundary (today and this month are CRS days)"),
  today: spend,
  month: spend,
  keys: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), limitUsage: z.array(limitUsage) })),
  asOf: z.string().nullable(),
  stale: z.boolean(),
});

export type CreateTokenBody = z.input<typeof createTokenBody>;
export type TokenView = z.infer<typeof tokenView>;
export type CreatedToken = z.infer<typeof createdToken>;
export type TokenList = z.infer<typeof tokenList>;
export type MeSummary = z.infer<typeof meSummary>;
