import type { Limits, MetaResponse } from '../api/contract';
import type { MessageKey } from '../i18n';

/** Every limit, the rate window first: tokens, requests and cost count per window (docs/crs.md, quirk 16). */
export const WINDOW_FIELDS = ['tokenLimit', 'rateLimitRequests', 'rateLimitCost'] as const;
export const OTHER_FIELDS = ['dailyCostLimit', 'totalCostLimit', 'weeklyOpusCostLimit', 'concurrencyLimit'] as const;
export const ALL_LIMITS: (keyof Limits)[] = ['rateLimitWindow', ...WINDOW_FIELDS, ...OTHER_FIELDS];
export const MONEY_LIMITS = new Set<keyof Limits>([
  'rateLimitCost',
  'dailyCostLimit',
  'totalCostLimit',
  'weeklyOpusCostLimit',
]);

export const limitLabel = (name: keyof Limits) => `keyForm.${name}` as MessageKey;

/** The limit fields of the key form, as typed. */
export type LimitsDraft = Record<keyof Limits, string>;

/** A per-window limit without a window does nothing in CRS: the API refuses it, the form says so first. */
export const needsWindow = (l: LimitsDraft) =>
  !Number(l.rateLimitWindow) && WINDOW_FIELDS.some((f) => Number(l[f]) > 0);

/** The operator's cap on a field (undefined = none): the per-window caps scale with the key's window. */
export function capFor(
  name: keyof Limits,
  l: LimitsDraft,
  caps: MetaResponse['keyLimitCaps'] | undefined,
): number | undefined {
  if (!caps || !(name in caps) || name === 'rateLimitWindow') return undefined;
  const cap = caps[name as keyof MetaResponse['keyLimitCaps']];
  if (!cap) return undefined;
  if (name !== 'tokenLimit' && name !== 'rateLimitRequests') return cap;
  const window = Number(l.rateLimitWindow) || caps.perWindowMinutes;
  return Math.max(1, Math.floor((cap * window) / caps.perWindowMinutes));
}
