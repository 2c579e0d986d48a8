import { ACCOUNT_FIELDS, type KeyRecord } from './key-record.js';

/**
 * Body validation of POST and PUT /admin/api-keys with CRS's own wording (docs/crs.md §4.3, §4.4). A validator
 * returns the error string CRS answers with (400 `{"error": …}`), or the changes to apply.
 */
export const VALID_PERMISSIONS = ['claude', 'gemini', 'openai', 'droid'];

type Body = Record<string, unknown>;
export type KeyChanges = Partial<Omit<KeyRecord, 'id' | 'hash' | 'createdAt'>>;
export type Parsed = { error: string } | { changes: KeyChanges };

const given = (v: unknown) => v !== undefined && v !== null && v !== '';
const isInt = (v: unknown) =>
  typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^-?\d+$/.test(v);
const num = (v: unknown) => Number(v);

function nonNegInt(b: Body, f: string, msg: string, out: Body): string | undefined {
  if (!given(b[f])) return;
  if (!isInt(b[f]) || num(b[f]) < 0) return msg;
  out[f] = num(b[f]);
}

function nonNegNumber(b: Body, f: string, msg: string, out: Body): string | undefined {
  if (!given(b[f])) return;
  const n = num(b[f]);
  if (Number.isNaN(n) || n < 0) return msg;
  out[f] = n;
}

function permissions(v: unknown): string[] | string {
  if (typeof v === 'string') {
    if (v === 'all') return [];
    if (VALID_PERMISSIONS.includes(v)) return [v];
    return `Invalid permission value "${v}". Valid values are: ${VALID_PERMISSIONS.join(', ')}`;
  }
  if (!Array.isArray(v)) return 'Permissions must be an array';
  for (const p of v) {
    if (typeof p !== 'string' || !VALID_PERMISSIONS.includes(p)) {
      return `Invalid permission value "${String(p)}". Valid values are: ${VALID_PERMISSIONS.join(', ')}`;
    }
  }
  return [...new Set(v as string[])];
}

function tags(v: unknown): string[] | string {
  if (!Array.isArray(v)) return 'Tags must be an array';
  if (v.some((t) => typeof t !== 'string' || t.trim() === '')) return 'All tags must be non-empty strings';
  return (v as string[]).map((t) => t.trim());
}

function expiry(v: unknown): string | null | { error: string } {
  if (v === null || v === '') return null;
  const t = typeof v === 'string' || typeof v === 'number' ? new Date(v).getTime() : Number.NaN;
  if (Number.isNaN(t)) return { error: 'Invalid expiration date format' };
  return new Date(t).toISOString();
}

/** Fields shared by create and update. */
function common(b: Body, out: Body, update: boolean): string | undefined {
  const windowMin = update ? 0 : 1;
  const err =
    nonNegInt(b, 'tokenLimit', 'Token limit must be a non-negative integer', out) ??
    nonNegInt(b, 'concurrencyLimit', 'Concurrency limit must be a non-negative integer', out) ??
    nonNegNumber(b, 'rateLimitCost', 'Rate limit cost must be a non-negative number', out) ??
    nonNegNumber(b, 'dailyCostLimit', 'Daily cost limit must be a non-negative number', out) ??
    nonNegNumber(b, 'totalCostLimit', 'Total cost limit must be a non-negative number', out) ??
    nonNegNumber(b, 'weeklyOpusCostLimit', 'Weekly Opus cost limit must be a non-negative number', out);
  if (err) return err;
  if (given(b.rateLimitWindow)) {
    if (!isInt(b.rateLimitWindow) || num(b.rateLimitWindow) < windowMin) {
      return 'Rate limit window must be a positive integer (minutes)';
    }
    out.rateLimitWindow = num(b.rateLimitWindow);
  }
  if (given(b.rateLimitRequests)) {
    if (!isInt(b.rateLimitRequests) || num(b.rateLimitRequests) < windowMin) {
      return 'Rate limit requests must be a positive integer';
    }
    out.rateLimitRequests = num(b.rateLimitRequests);
  }
  if (b.permissions !== undefined) {
    const p = permissions(b.permissions);
    if (typeof p === 'string') return p;
    out.permissions = p;
  }
  for (const [f, label] of [
    ['enableModelRestriction', 'Enable model restriction'],
    ['enableClientRestriction', 'Enable client restriction'],
  ] as const) {
    if (b[f] === undefined) continue;
    if (typeof b[f] !== 'boolean') return `${label} must be a boolean`;
    out[f] = b[f];
  }
  for (const [f, label] of [
    ['restrictedModels', 'Restricted models'],
    ['allowedClients', 'Allowed clients'],
  ] as const) {
    if (b[f] === undefined) continue;
    if (!Array.isArray(b[f])) return `${label} must be an array`;
    out[f] = (b[f] as unknown[]).map(String);
  }
  if (b.tags !== undefined) {
    const t = tags(b.tags);
    if (typeof t === 'string') return t;
    out.tags = t;
  }
  if (b.serviceRates !== undefined) {
    const r = b.serviceRates;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'Service rates must be an object';
    for (const v of Object.values(r))
      if (typeof v !== 'number' || v < 0) return 'Service rates must be non-negative numbers';
    out.serviceRates = r;
  }
  for (const [f, lo, hi] of [
    ['weeklyResetDay', 1, 7],
    ['weeklyResetHour', 0, 23],
  ] as const) {
    if (!given(b[f])) continue;
    if (!isInt(b[f]) || num(b[f]) < lo || num(b[f]) > hi) return `${f} must be an integer between ${lo} and ${hi}`;
    out[f] = num(b[f]);
  }
  for (const f of ['enableOpenAIResponsesCodexAdaptation', 'enableOpenAIResponsesPayloadRules']) {
    if (b[f] !== undefined) out[f] = b[f] === true || b[f] === 'true';
  }
  if (Array.isArray(b.openaiResponsesPayloadRules)) out.openaiResponsesPayloadRules = b.openaiResponsesPayloadRules;
  const accounts: Record<string, string> = {};
  for (const f of ACCOUNT_FIELDS) {
    if (f === 'azureOpenaiAccountId' && !update) continue; // ignored on create (docs/crs.md §4.3)
    if (b[f] !== undefined) accounts[f] = b[f] === null ? '' : String(b[f]);
  }
  if (Object.keys(accounts).length) out.accounts = accounts;
}

export function parseCreate(b: Body): Parsed {
  const out: Body = {};
  if (typeof b.name !== 'string' || b.name.trim() === '') {
    return { error: 'Name is required and must be a non-empty string' };
  }
  if (b.name.length > 100) return { error: 'Name must be less than 100 characters' };
  out.name = b.name.trim();
  if (b.description !== undefined && b.description !== null) {
    if (typeof b.description !== 'string' || b.description.length > 500) {
      return { error: 'Description must be a string with less than 500 characters' };
    }
    out.description = b.description;
  }
  const err = common(b, out, false);
  if (err) return { error: err };
  const mode = b.expirationMode ?? 'fixed';
  if (mode !== 'fixed' && mode !== 'activation') {
    return { error: 'Invalid expiration mode. Must be "fixed" or "activation"' };
  }
  out.expirationMode = mode;
  if (mode === 'activation') {
    if (!isInt(b.activationDays) || num(b.activationDays) < 1) {
      return { error: 'Activation days must be a positive integer when using activation mode' };
    }
    if (b.activationUnit !== undefined && b.activationUnit !== 'hours' && b.activationUnit !== 'days') {
      return { error: 'Activation unit must be either "hours" or "days"' };
    }
    if (given(b.expiresAt)) return { error: 'Cannot set fixed expiration date when using activation mode' };
    out.activationDays = num(b.activationDays);
    out.activationUnit = b.activationUnit ?? 'days';
  } else if (b.expiresAt !== undefined) {
    const e = expiry(b.expiresAt);
    if (e && typeof e === 'object') return { error: e.error };
    out.expiresAt = e ?? '';
  }
  if (typeof b.icon === 'string') out.icon = b.icon;
  return { changes: out as KeyChanges };
}

/** PUT: partial; `description` and unknown fields are ignored; `isActive` must be a real boolean. */
export function parseUpdate(b: Body, now: number): Parsed {
  const out: Body = {};
  if (b.name !== undefined) {
    if (typeof b.name !== 'string' || b.name.trim() === '') return { error: 'Name must be a non-empty string' };
    if (b.name.length > 100) return { error: 'Name must be less than 100 characters' };
    out.name = b.name.trim();
  }
  const err = common(b, out, true);
  if (err) return { error: err };
  if (b.expiresAt !== undefined) {
    const e = expiry(b.expiresAt);
    if (e && typeof e === 'object') return { error: e.error };
    out.expiresAt = e ?? '';
    // CRS quirk (docs/crs.md, quirk 5): setting expiresAt re-derives isActive, re-enabling a disabled key.
    out.isActive = e === null ? true : new Date(e).getTime() > now;
  }
  if (b.isActive !== undefined) {
    if (typeof b.isActive !== 'boolean') return { error: 'isActive must be a boolean' };
    out.isActive = b.isActive;
  }
  return { changes: out as KeyChanges };
}

export function parseExpiry(v: unknown): string | { error: string } {
  const e = expiry(v);
  if (e && typeof e === 'object') return e;
  return e ?? '';
}
