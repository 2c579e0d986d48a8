import type { Redis } from 'ioredis';

/** One Redis key as the equality test compares it: its type, its value in a comparable form, its TTL in ms. */
export interface Dumped {
  type: string;
  value: unknown;
  pttl: number;
}

/**
 * Every key of a (test's own, small) Redis: hashes as objects, sets sorted, sorted sets as [member, score]
 * pairs, lists as their items, strings as they are. KEYS is fine here: a test database of a few thousand keys.
 */
export async function dumpRedis(redis: Redis): Promise<Map<string, Dumped>> {
  const names = (await redis.keys('*')).sort();
  const p = redis.pipeline();
  for (const k of names) p.type(k).pttl(k);
  const meta = (await p.exec()) ?? [];
  const values = redis.pipeline();
  names.forEach((k, i) => {
    const type = meta[2 * i][1] as string;
    if (type === 'hash') values.hgetall(k);
    else if (type === 'set') values.smembers(k);
    else if (type === 'zset') values.zrange(k, 0, -1, 'WITHSCORES');
    else if (type === 'list') values.lrange(k, 0, -1);
    else values.get(k);
  });
  const replies = (await values.exec()) ?? [];
  const out = new Map<string, Dumped>();
  names.forEach((k, i) => {
    const type = meta[2 * i][1] as string;
    let value = replies[i][1];
    if (type === 'set') value = [...(value as string[])].sort();
    out.set(k, { type, value, pttl: meta[2 * i + 1][1] as number });
  });
  return out;
}

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

/**
 * Differences between two values of the same key: strings that are numbers compare as numbers, within
 * `relative` (float sums formatted or rounded differently); anything else exactly. Returns the paths that differ.
 */
export function differences(a: unknown, b: unknown, relative: number, path = ''): string[] {
  if (typeof a === 'string' && typeof b === 'string' && NUMBER.test(a) && NUMBER.test(b)) {
    const [x, y] = [Number(a), Number(b)];
    const ok = x === y || Math.abs(x - y) <= relative * Math.max(Math.abs(x), Math.abs(y));
    return ok ? [] : [`${path}: ${a} ≠ ${b}`];
  }
  if (typeof a === 'number' && typeof b === 'number') return differences(String(a), String(b), relative, path);
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], relative, `${path}.${k}`),
    );
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}
