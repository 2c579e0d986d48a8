/**
 * The server's validation issues in the reader's words (issue 15, point 5): each 400 detail carries a code and
 * the figures its sentence needs (docs/api.md §2); the English `message` stays for API clients and is shown only
 * for a code this app does not know yet. Field paths are named with the labels the forms use (FIELD_LABELS).
 */
import type { FieldIssue } from '../api/client';
import type { MessageKey } from './en';
import type { Formatter } from './format';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** API field paths → the label a form shows for them; a path not listed is shown as it is. */
export const FIELD_LABELS: Record<string, MessageKey> = {
  email: 'auth.email',
  password: 'auth.password',
  displayName: 'auth.displayName',
  inviteCode: 'auth.inviteCode',
  setupToken: 'auth.setupToken',
  currentPassword: 'settings.current',
  newPassword: 'settings.new',
  name: 'keyForm.name',
  description: 'keyForm.description',
  expiresAt: 'keyForm.expiresAt',
  models: 'keyForm.models',
  status: 'common.status',
  'limits.tokenLimit': 'keyForm.tokenLimit',
  'limits.dailyCostLimit': 'keyForm.dailyCostLimit',
  'limits.totalCostLimit': 'keyForm.totalCostLimit',
  'limits.rateLimitWindow': 'keyForm.rateLimitWindow',
  'limits.rateLimitRequests': 'keyForm.rateLimitRequests',
  'limits.rateLimitCost': 'keyForm.rateLimitCost',
  'limits.concurrencyLimit': 'keyForm.concurrencyLimit',
  'limits.weeklyOpusCostLimit': 'keyForm.weeklyOpusCostLimit',
  from: 'range.from',
  to: 'range.to',
  range: 'range.label',
  count: 'admin.invites.count',
  ttlDays: 'admin.invites.ttl',
  maxKeys: 'admin.users.maxKeys',
  role: 'admin.users.role',
};

export function fieldLabel(t: Translate, path: string): string {
  const key = FIELD_LABELS[path];
  return key ? t(key) : path;
}

const MONEY = /cost/i;

export function wordIssue(t: Translate, fmt: Formatter, issue: FieldIssue): string {
  const p = issue.params ?? {};
  const n = (v: unknown) => (typeof v === 'number' ? (MONEY.test(issue.path) ? fmt.money(v) : fmt.number(v)) : '');
  const origin = p.origin === 'string' || p.origin === 'array' ? p.origin : 'number';
  switch (issue.code) {
    case 'too_small':
      if (origin === 'string' && p.minimum === 1) return t('issue.empty');
      return t(`issue.too_small.${origin}`, { n: n(p.minimum) });
    case 'too_big':
      if (typeof p.perMinutes === 'number') return t('issue.too_big.window', { n: n(p.maximum), m: p.perMinutes });
      return t(`issue.too_big.${origin}`, { n: n(p.maximum) });
    case 'invalid_format':
      if (p.format === 'email') return t('issue.format.email');
      if (p.format === 'uuid') return t('issue.format.uuid');
      if (p.format === 'datetime') return t('issue.format.datetime');
      return t('issue.format.other');
    case 'invalid_type':
      return t(p.expected === 'number' ? 'issue.type.number' : 'issue.type.other');
    case 'invalid_value':
      return t('issue.oneOf', { values: Array.isArray(p.values) ? p.values.join(', ') : '' });
    case 'unrecognized_keys':
      return t('issue.unknownField');
    case 'required':
      return t('issue.required');
    case 'required_with':
      return t('issue.requiredWith', { field: fieldLabel(t, String(p.field ?? '')) });
    case 'in_past':
      return t('issue.inPast');
    case 'incorrect':
      return t('issue.incorrect');
    case 'invalid_invite':
      return t('issue.invalidInvite');
    case 'invalid_setup_token':
      return t('issue.invalidSetupToken');
    case 'operator_held':
      if (typeof p.maximum === 'number') return t('issue.held.max', { n: n(p.maximum) });
      if (typeof p.minimum === 'number') return t('issue.held.min', { n: n(p.minimum) });
      if (Array.isArray(p.values)) return t('issue.held.models', { values: p.values.join(', ') });
      return t('issue.held.status');
    default:
      return t('issue.unknown', { message: issue.message });
  }
}
