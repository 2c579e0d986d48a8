import type { KeyLimitCaps } from '../../config.js';
import { type FieldIssue, issue } from '../errors.js';
import type { KeyLimits, LimitField } from './types.js';

export const LIMIT_FIELDS = [
  'tokenLimit',
  'dailyCostLimit',
  'totalCostLimit',
  'rateLimitWindow',
  'rateLimitRequests',
  'rateLimitCost',
  'concurrencyLimit',
  'weeklyOpusCostLimit',
] as const satisfies readonly LimitField[];

export const NO_LIMITS: KeyLimits = {
  tokenLimit: 0,
  dailyCostLimit: 0,
  totalCostLimit: 0,
  rateLimitWindow: 0,
  rateLimitRequests: 0,
  rateLimitCost: 0,
  concurrencyLimit: 0,
  weeklyOpusCostLimit: 0,
};

/** Rows written before every CRS limit was kept lack some fields: they read as CRS's 0 (unlimited). */
export const limitsOf = (stored: Partial<KeyLimits> | null | undefined): KeyLimits => ({ ...NO_LIMITS, ...stored });

/** Limits CRS counts per rate window only (docs/crs.md, quirk 16): without a window they do nothing. */
const PER_WINDOW = ['tokenLimit', 'rateLimitRequests', 'rateLimitCost'] as const;
const WINDOW_CAPPED = ['tokenLimit', 'rateLimitRequests'] as const;
const PLAIN_CAPPED = ['dailyCostLimit', 'totalCostLimit', 'concurrencyLimit'] as const;

/** A per-window cap for a key whose window is `window` minutes (docs/decisions/012). */
export const scaledCap = (cap: number, window: number, capWindow: number) =>
  Math.max(1, Math.floor((cap * window) / capWindow));

/**
 * Merges requested limits over the current ones and enforces the operator's caps on what changes (a value the
 * request leaves as it is — e.g. one an operator raised in CRS above a cap — is not the user's to answer for).
 * In CRS 0 means "unlimited", so where a cap applies, 0 becomes the cap itself: a key can never escape it. A new
 * key (`current` undefined) is checked whole. Returns the merged limits and the problems found.
 */
export function resolveLimits(
  requested: Partial<KeyLimits> | undefined,
  current: KeyLimits | undefined,
  caps: KeyLimitCaps,
): { limits: KeyLimits; issues: FieldIssue[] } {
  const base = current ?? NO_LIMITS;
  const limits: KeyLimits = { ...base, ...requested };
  const touched = (f: LimitField) => !current || (requested?.[f] !== undefined && requested[f] !== base[f]);
  const windowTouched = touched('rateLimitWindow') || WINDOW_CAPPED.some(touched);
  const issues: FieldIssue[] = [];

  const windowCapped = WINDOW_CAPPED.some((f) => caps[f] > 0);
  if (windowCapped && limits.rateLimitWindow === 0 && windowTouched) limits.rateLimitWindow = caps.perWindowMinutes;
  for (const f of WINDOW_CAPPED) {
    if (caps[f] <= 0 || !(touched(f) || touched('rateLimitWindow'))) continue;
    const max = scaledCap(caps[f], limits.rateLimitWindow, caps.perWindowMinutes);
    if (limits[f] === 0) limits[f] = max;
    else if (limits[f] > max) {
      const message = `must be at most ${max} per ${limits.rateLimitWindow} minutes`;
      issues.push(issue(`limits.${f}`, message, 'too_big', { maximum: max, perMinutes: limits.rateLimitWindow }));
    }
  }
  for (const f of PLAIN_CAPPED) {
    if (caps[f] <= 0 || !touched(f)) continue;
    if (limits[f] === 0) limits[f] = caps[f];
    else if (limits[f] > caps[f]) {
      issues.push(issue(`limits.${f}`, `must be at most ${caps[f]}`, 'too_big', { maximum: caps[f] }));
    }
  }
  for (const f of PER_WINDOW) {
    if (limits[f] > 0 && limits.rateLimitWindow === 0 && (touched(f) || touched('rateLimitWindow'))) {
      const message = `is required (minutes) when ${f} is set: CRS counts it only inside a rate window`;
      issues.push(issue('limits.rateLimitWindow', message, 'required_with', { field: `limits.${f}` }));
      break;
    }
  }
  return { limits, issues };
}

/** The fields whose value differs: what a write sends to CRS (docs/crs.md, quirk 18). */
export function changedLimits(next: KeyLimits, current: KeyLimits): Partial<KeyLimits> {
  const out: Partial<KeyLimits> = {};
  for (const f of LIMIT_FIELDS) if (next[f] !== current[f]) out[f] = next[f];
  return out;
}
