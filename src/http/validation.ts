import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import { deepFreeze } from '../lib/deep-freeze.js';

/** Per route: how many distinct querystrings keep their validated value. */
const MEMO_MAX = 10_000;

type Validate = ReturnType<ReturnType<FastifySchemaCompiler<$ZodType>>>;

/**
 * zod validation of every request part, with one shortcut: a querystring that validated before is not
 * validated again. Hot reads repeat the same few querystrings (`range=30d`, a set of key ids), and re-running
 * the schema (transforms, UUID checks, defaults) gives the same answer every time. Only successes are kept,
 * frozen (handlers share them); a failure is validated, and reported, afresh on every request.
 */
export const memoizingValidatorCompiler: FastifySchemaCompiler<$ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'querystring') return validate;
  const memo = new Map<string, Validate>();
  return (data: unknown) => {
    const key = queryKey(data);
    if (key === undefined) return validate(data);
    const known = memo.get(key);
    if (known) return known;
    const result = validate(data);
    if (result && typeof result === 'object' && !('error' in result && result.error)) {
      deepFreeze((result as { value?: unknown }).value);
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(key, result);
    }
    return result;
  };
};

/** A parsed querystring as one string (names and values separated by characters a URL cannot carry raw). */
function queryKey(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  let key = '';
  for (const name in data) {
    const value = (data as Record<string, unknown>)[name];
    // Repeated parameters arrive as arrays: rare, left to the schema.
    if (typeof value !== 'string') return undefined;
    key += `${name}\u0000${value}\u0001`;
  }
  return key;
}
