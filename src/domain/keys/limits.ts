import type { KeyLimitCaps } from '../../config.js';
import { AppError, type FieldIssue } from '../errors.js';
import type { KeyLimits } from './types.js';

export const NO_LIMITS: KeyLimits = {
  tokenLimit: 0,
  dailyCostLimit: 0,
  totalCostLimit: 0,
  rateLimitWindow: 0,
  rateLimitRequests: 0,
  concurrencyLimit: 0,
};

const CAPPED = ['tokenLimit', 'dailyCostLimit', 'totalCostLimit', 'rateLimitRequests', 'concurrencyLimit'] as const;

/**
 * Merges requested limits over the current ones and enforces the operator's caps. In CRS 0 means "unlimited",
 * so where the operator sets a cap, 0 (or nothing) becomes the cap itself: a key can never escape it.
 */
export function resolveLimits(requested: Partial<KeyLimits> | undefined, current: KeyLimits, caps: KeyLimitCaps) {
  const limits: KeyLimits = { ...current, ...requested };
  const issues: FieldIssue[] = [];
  for (const field of CAPPED) {
    const cap = caps[field];
    if (cap <= 0) continue;
    if (limits[field] === 0) limits[field] = cap;
    else if (limits[field] > cap) issues.push({ path: `limits.${field}`, message: `must be at most ${cap}` });
  }
  if (limits.rateLimitRequests > 0 && limits.rateLimitWindow === 0) {
    issues.push({ path: 'limits.rateLimitWindow', message: 'is required (minutes) when rateLimitRequests is set' });
  }
  if (issues.length) throw new AppError('bad_request', `${issues[0].path}: ${issues[0].message}`, issues);
  return limits;
}
