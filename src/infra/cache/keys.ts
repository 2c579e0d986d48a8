/**
 * Cache keys: `namespace:entity:id:extra`, built from parts so that callers never write a raw key. A part may
 * contain anything: `%` and `:` are %-escaped, so ['a:b', 'c'] and ['a', 'b:c'] stay two different keys.
 */

export function joinKey(parts: readonly string[]): string {
  if (parts.length === 0) throw new TypeError('a cache key needs at least one part');
  // The hot path: most keys are ids and short words, joined without a regex replace.
  let key = escapePart(parts[0]);
  for (let i = 1; i < parts.length; i++) key += ':' + escapePart(parts[i]);
  return key;
}

function escapePart(part: string): string {
  if (typeof part !== 'string') throw new TypeError('cache key parts must be strings');
  // Two `includes` cost less than a regex test, and this runs for every part of every hot read's key.
  return part.includes(':') || part.includes('%') ? part.replace(/%/g, '%25').replace(/:/g, '%3A') : part;
}

/** Redis SCAN MATCH pattern matching every key under `prefix` (glob characters in the prefix escaped). */
export function matchPrefix(prefix: string): string {
  return prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
}
