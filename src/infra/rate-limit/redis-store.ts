import type { Redis } from 'ioredis';
import { type CounterStore, live, type WindowCount } from './types.js';

/*
 * One hash per key ({c: count, r: window end, l: last hit}), updated by a script so that concurrent hits from
 * several instances never lose a count. The expiry only cleans up: the window itself is judged on the caller's
 * clock (ARGV now), like the PostgreSQL store does.
 */
const HIT = `
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local win = tonumber(ARGV[2 * i])
  local sliding = ARGV[2 * i + 1] == '1'
  local v = redis.call('HMGET', key, 'c', 'r')
  local c = tonumber(v[1])
  local r = tonumber(v[2])
  if not r or r <= now then
    c = 1
    r = now + win
  else
    c = c + 1
    if sliding then r = now + win end
  end
  redis.call('HSET', key, 'c', c, 'r', r, 'l', now)
  redis.call('PEXPIRE', key, r - now + 60000)
  out[i] = {c, r}
end
return out
`;

export function redisCounterStore(redis: Redis, prefix: string): CounterStore {
  const k = (key: string) => `${prefix}:rl:${key}`;
  return {
    async read(keys, now) {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hmget(k(key), 'c', 'r', 'l');
      const results = (await pipeline.exec()) ?? [];
      return keys.map((_, i) => {
        const [err, v] = results[i] ?? [new Error('no answer')];
        if (err) throw err;
        const [c, r, l] = v as (string | null)[];
        return live({ count: Number(c ?? 0), resetAt: Number(r ?? 0), lastAt: Number(l ?? 0) }, now);
      });
    },
    async hit(hits, now) {
      const args = hits.flatMap((h) => [String(h.windowMs), h.sliding ? '1' : '0']);
      const out = (await redis.eval(HIT, hits.length, ...hits.map((h) => k(h.key)), String(now), ...args)) as [
        number,
        number,
      ][];
      return out.map(([count, resetAt]): WindowCount => ({ count, resetAt, lastAt: now }));
    },
    async reset(keys) {
      if (keys.length) await redis.del(...keys.map(k));
    },
  };
}
