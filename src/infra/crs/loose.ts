import { z } from 'zod';
import { CrsInvalidResponse } from './failures.js';

/**
 * CRS's loose field types (docs/crs.md §4.1, quirk 6): numbers arrive as numbers or strings (`"3"`), booleans as
 * booleans or `"true"`, lists as arrays or JSON strings (`"[\"claude\"]"`), "none" timestamps as `""`.
 * These plain functions are shared by the zod schemas and by the hand-written normalisers of the hot arrays,
 * so both read CRS the same way. They return INVALID instead of throwing so that the fast path stays cheap.
 */
export const INVALID: unique symbol = Symbol('invalid');
type Loose<T> = T | typeof INVALID;

/** Absent, null and "" read as 0 (CRS's "unlimited"/"none"). */
export function looseNumber(v: unknown): Loose<number> {
  if (typeof v === 'number') return Number.isFinite(v) ? v : INVALID;
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? n : INVALID;
  }
  return INVALID;
}

/** Absent reads as `fallback` (e.g. `isDeleted` is only present on deleted keys). */
export function looseBoolean(v: unknown, fallback = false): Loose<boolean> {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null || v === '') return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return INVALID;
}

function stringArray(a: unknown[]): Loose<string[]> {
  for (const x of a) if (typeof x !== 'string') return INVALID;
  return a as string[];
}

/** An array, or the same array JSON-encoded in a string (raw Redis hash fields). */
export function looseStringList(v: unknown): Loose<string[]> {
  if (Array.isArray(v)) return stringArray(v);
  if (v === undefined || v === null || v === '') return [];
  if (typeof v !== 'string' || !v.startsWith('[')) return INVALID;
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? stringArray(parsed) : INVALID;
  } catch {
    return INVALID;
  }
}

/** Like looseStringList, plus CRS's legacy single-string permissions: "all" = every service (= []). */
export function loosePermissions(v: unknown): Loose<string[]> {
  if (v === 'all') return [];
  if (typeof v === 'string' && /^[a-z][a-z-]*$/.test(v)) return [v];
  return looseStringList(v);
}

/** ISO string, or null for CRS's "never" (`""`, null, absent). */
export function looseTimestamp(v: unknown): Loose<string | null> {
  if (v === undefined || v === null || v === '') return null;
  return typeof v === 'string' ? v : INVALID;
}

export function looseString(v: unknown): Loose<string> {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : INVALID;
}

/** A zod schema around a loose reader; absent keys are passed to the reader as undefined. */
function lift<T>(read: (v: unknown) => Loose<T>, expected: string) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx): T => {
      const r = read(v);
      if (r === INVALID) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
        return z.NEVER;
      }
      return r;
    });
}

export const num = lift(looseNumber, 'a number');
export const bool = lift((v) => looseBoolean(v), 'a boolean');
export const strList = lift(looseStringList, 'a list of strings');
export const permissions = lift(loosePermissions, 'a list of services');
export const timestamp = lift(looseTimestamp, 'an ISO timestamp or ""');
export const str = lift(looseString, 'a string');
/** null, absent and "" stay null (e.g. `responseTime: null`), anything else reads as a loose number. */
export const numOrNull = lift((v) => (v === null || v === undefined || v === '' ? null : looseNumber(v)), 'a number');

/** A parse function for the requester: schema errors become CrsInvalidResponse naming the first bad path. */
export function parseWith<S extends z.ZodType>(schema: S, endpoint: string): (body: unknown) => z.output<S> {
  return (body) => {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new CrsInvalidResponse(endpoint, issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid');
  };
}
