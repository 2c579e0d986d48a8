/** The limit meters' shapes (docs/product.md §2.4), shared by the domain and the repository that reads them. */

export type LimitKind =
  | 'daily_cost'
  | 'total_cost'
  | 'weekly_opus_cost'
  | 'window_requests'
  | 'window_tokens'
  | 'window_cost'
  | 'concurrency'
  | 'expiry';

export interface LimitUsage {
  kind: LimitKind;
  /** USD for costs, a count for requests and tokens; null where CRS does not say (concurrency) or for expiry. */
  used: number | null;
  /** The limit, in the same unit; null for expiry. */
  limit: number | null;
  /** When `used` starts again from 0 (for expiry: when the key stops working); null when it never does. */
  resetsAt: string | null;
  /** When `used` was read from CRS (the window and weekly figures); null for figures of the synced history. */
  asOf: string | null;
}

/** The figures the limit meters of these keys are computed from (limit-usage.ts). */
export interface MeterFigures {
  /** Cost of the CRS day `today` (usage_daily), micro-dollars. */
  todayCostMicros: number;
  limitsReadAt: Date | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  windowRequests: number;
  windowTokens: number;
  windowCostMicros: number;
  opusCostMicros: number;
  opusWeekStart: Date | null;
  weeklyResetDay: number;
  weeklyResetHour: number;
}
