import { z } from 'zod';

/** The public operations answers: /api/meta, /api/health and the probes. */

const mode = z.enum(['demo', 'production']);

export const metaResponse = z.object({
  mode,
  registration: z.enum(['open', 'invite', 'closed']),
  defaultMaxKeys: z.number(),
  /** 0 = no cap. */
  keyLimitCaps: z.object({
    tokenLimit: z.number(),
    dailyCostLimit: z.number(),
    totalCostLimit: z.number(),
    rateLimitRequests: z.number(),
    concurrencyLimit: z.number(),
    /** tokenLimit and rateLimitRequests caps are per this many minutes (KEY_RATE_LIMIT_WINDOW). */
    perWindowMinutes: z.number(),
  }),
  timezone: z.string(),
  version: z.string(),
  sso: z
    .object({ name: z.string(), only: z.boolean().describe('password sign-in and registration are off') })
    .nullable()
    .describe('Single sign-on, when configured: the button’s label'),
  mfaRememberDays: z.number().describe('How long "remember this browser" skips the second factor; 0: not offered'),
  /** No admin yet: the register page asks for the setup token printed at start. */
  setupRequired: z.boolean(),
});

const state = z.enum(['up', 'down', 'disabled']);
const detail = z.object({
  status: state,
  reason: z.string().optional(),
  latencyMs: z.number().optional(),
  checkedAt: z.string(),
});

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ db: state, redis: state, crs: state }),
  // The rest only for an admin session or the METRICS_TOKEN bearer (docs/api.md §7, Operations).
  details: z.object({ db: detail, redis: detail, crs: detail }).optional(),
  alerts: z.array(z.object({ name: z.string(), message: z.string() })).optional(),
  instance: z.object({ id: z.string(), leader: z.boolean() }).optional(),
  mode: mode.optional(),
  version: z.string().optional(),
});

export const probeResponse = z.object({ status: z.enum(['ok', 'ready', 'unready']) });

export type MetaResponse = z.infer<typeof metaResponse>;
export type HealthResponse = z.infer<typeof healthResponse>;
