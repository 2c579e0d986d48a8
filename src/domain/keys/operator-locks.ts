import { type FieldIssue, issue } from '../errors.js';
import { LIMIT_FIELDS } from './limits.js';
import type { KeyLimits, LimitField, OperatorHold, OperatorLocks } from './types.js';

/**
 * The operator's authority over a key (docs/decisions/011), as pure rules: which change in CRS is a tightening
 * (it locks), how a loosening moves or clears a lock, what an owner's change may not undo, what a release frees.
 */

/** 0 is CRS's "unlimited". For the rate window a longer window is the tighter one. */
export function isTighter(field: LimitField, from: number, to: number): boolean {
  if (to === from || to === 0) return false;
  if (from === 0) return true;
  return field === 'rateLimitWindow' ? to > from : to < from;
}

/** Whether `value` stays within the operator's `ceiling` for this field. */
export function withinCeiling(field: LimitField, value: number, ceiling: number): boolean {
  if (value === 0) return false;
  return field === 'rateLimitWindow' ? value >= ceiling : value <= ceiling;
}

const empty = (l: OperatorLocks) => !l.disabled && !Object.keys(l.limits ?? {}).length && !l.models?.length;
const tidy = (l: OperatorLocks): OperatorLocks | null => (empty(l) ? null : l);

/** A copy to change (the stored value stays as it was). */
const open = (locks: OperatorLocks | null, since: string): OperatorLocks => ({
  ...(locks ?? { since }),
  limits: { ...locks?.limits },
  models: [...(locks?.models ?? [])],
});

/** The locks after an operator's status change in CRS. */
export function lockStatus(locks: OperatorLocks | null, disabled: boolean, now: string): OperatorLocks | null {
  const next = open(locks, now);
  if (disabled) next.disabled = true;
  else delete next.disabled;
  return tidy(next);
}

/** The locks after an operator's limit change in CRS: a tightening sets the ceiling, a loosening moves or clears it. */
export function lockLimit(
  locks: OperatorLocks | null,
  field: LimitField,
  from: number,
  to: number,
  now: string,
): OperatorLocks | null {
  const next = open(locks, now);
  const limits = next.limits as Partial<KeyLimits>;
  if (isTighter(field, from, to)) limits[field] = to;
  else if (limits[field] !== undefined) {
    if (to === 0) delete limits[field];
    else limits[field] = to;
  }
  return tidy(next);
}

/** The locks after an operator's block-list change in CRS: added models lock, removed ones are free again. */
export function lockModels(
  locks: OperatorLocks | null,
  from: string[],
  to: string[],
  now: string,
): OperatorLocks | null {
  const next = open(locks, now);
  const added = to.filter((m) => !from.includes(m));
  next.models = [...new Set([...(next.models ?? []), ...added])].filter((m) => to.includes(m));
  return tidy(next);
}

/** Release names: `status`, `models`, `limits.<field>`. */
export const RELEASABLE = ['status', 'models', ...LIMIT_FIELDS.map((f) => `limits.${f}` as const)] as const;
export type Releasable = (typeof RELEASABLE)[number];

/** What is left after an admin releases `fields` (all when undefined). */
export function release(locks: OperatorLocks | null, fields?: readonly Releasable[]): OperatorLocks | null {
  if (!locks || !fields) return null;
  const next = open(locks, locks.since);
  for (const f of fields) {
    if (f === 'status') delete next.disabled;
    else if (f === 'models') next.models = [];
    else delete (next.limits as Partial<KeyLimits>)[f.slice('limits.'.length) as LimitField];
  }
  return tidy(next);
}

/** Names of what a lock holds, for the audit log and the release answer. */
export function heldFields(locks: OperatorLocks | null): Releasable[] {
  if (!locks) return [];
  const out: Releasable[] = [];
  if (locks.disabled) out.push('status');
  for (const f of Object.keys(locks.limits ?? {})) out.push(`limits.${f as LimitField}`);
  if (locks.models?.length) out.push('models');
  return out;
}

export const toHold = (locks: OperatorLocks | null): OperatorHold | null =>
  locks
    ? {
        disabled: Boolean(locks.disabled),
        limits: { ...locks.limits },
        models: [...(locks.models ?? [])],
        since: locks.since,
      }
    : null;

/**
 * What an owner's change may not do while the operator holds the key: re-enable it, loosen a held limit past its
 * ceiling (or to unlimited), unblock a held model. Only values that change are judged.
 */
export function ownerViolations(
  locks: OperatorLocks | null,
  current: { limits: KeyLimits; models: string[] },
  next: { status?: 'active' | 'disabled'; limits?: KeyLimits; models?: string[] },
): FieldIssue[] {
  if (!locks) return [];
  const issues: FieldIssue[] = [];
  if (locks.disabled && next.status === 'active') {
    issues.push(issue('status', 'disabled by the operator: an admin must release it first', 'operator_held'));
  }
  for (const [field, ceiling] of Object.entries(locks.limits ?? {}) as [LimitField, number][]) {
    const value = next.limits?.[field];
    if (value === undefined || value === current.limits[field] || withinCeiling(field, value, ceiling)) continue;
    const bound = field === 'rateLimitWindow' ? `at least ${ceiling}` : `at most ${ceiling}`;
    const params = field === 'rateLimitWindow' ? { minimum: ceiling } : { maximum: ceiling };
    issues.push(issue(`limits.${field}`, `must be ${bound} (set by the operator)`, 'operator_held', params));
  }
  const unblocked = next.models ? (locks.models ?? []).filter((m) => !next.models!.includes(m)) : [];
  if (unblocked.length) {
    const message = `must keep ${unblocked.join(', ')} blocked (blocked by the operator)`;
    issues.push(issue('models', message, 'operator_held', { values: unblocked }));
  }
  return issues;
}
