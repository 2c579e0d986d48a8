import { z } from 'zod';
import { tokenSplit } from './common.js';
import { fresh, rangeEcho } from './stats.js';

/*
 * The spend summary and the monthly statements (docs/product.md §2.4): pre-serialised by the domain, parsed against
 * these schemas by tests/integration/pre-serialised.test.ts. Money is USD, days are CRS days.
 */

const brief = { requests: z.number(), tokens: z.number(), cost: z.number() };
/** A model name, or null for usage the portal does not know by model (docs/decisions/025). */
const model = z.string().nullable();
const period = { from: z.string(), to: z.string() };
/** (now − before) / before; null when there was nothing before. */
const ratio = z.number().nullable();

export const summaryResponse = z.object({
  range: rangeEcho,
  today: z.object({ date: z.string(), ...brief }),
  /** This CRS month so far, and its cost projected to the month's end at the pace so far. */
  month: z.object({ month: z.string(), ...period, ...brief, projectedCost: z.number() }),
  previousMonth: z.object({ month: z.string(), ...period, ...brief }),
  /** The range's totals… */
  current: tokenSplit,
  /** …and those of the period of the same length just before it. */
  previous: tokenSplit.extend(period),
  change: z.object({ requests: ratio, tokens: ratio, cost: ratio }),
  byKey: z.array(tokenSplit.extend({ keyId: z.string(), name: z.string() })),
  byModel: z.array(tokenSplit.extend({ model })),
  /** Every day of the range, with its parts by key and by model (what the stacked charts draw). */
  days: z.array(
    z.object({
      date: z.string(),
      ...brief,
      keys: z.array(z.object({ keyId: z.string(), ...brief })),
      models: z.array(z.object({ model, ...brief })),
    }),
  ),
  ...fresh,
});

export const statementQuery = z.strictObject({
  /** `YYYY-MM` (CRS's calendar); default: this month. */
  month: z.string().optional(),
});

export const statementResponse = z.object({
  month: z.string(),
  range: rangeEcho,
  totals: tokenSplit,
  /** Each key with usage in the month (deleted ones too), by model. */
  keys: z.array(
    tokenSplit.extend({
      keyId: z.string(),
      name: z.string(),
      status: z.enum(['active', 'disabled', 'expired', 'deleted']),
      models: z.array(tokenSplit.extend({ model })),
    }),
  ),
  byModel: z.array(tokenSplit.extend({ model })),
  ...fresh,
});

export const adminStatementsQuery = z.strictObject({
  month: z.string().optional(),
  format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).default('json'),
});

export const adminStatementsResponse = z.object({
  month: z.string(),
  range: rangeEcho,
  totals: tokenSplit,
  /** Every user, largest cost first; users without usage show zeros. */
  users: z.array(
    tokenSplit.extend({
      userId: z.string(),
      email: z.string(),
      displayName: z.string(),
      /** Keys with usage in the month. */
      keys: z.number(),
    }),
  ),
  ...fresh,
});

export type SummaryResponse = z.infer<typeof summaryResponse>;
export type StatementResponse = z.infer<typeof statementResponse>;
export type AdminStatementsResponse = z.infer<typeof adminStatementsResponse>;
