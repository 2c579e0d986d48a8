import type { CrsModelStat } from '../crs/types.js';
import type { CrsRedisReads } from './connection.js';
import { CrsRedisUnusable, int } from './reads.js';

const DAY_MS = 86_400_000;
const FIELDS = ['requests', 'inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens', 'ratedCostMicro'];

/**
 * What GET /admin/api-keys/:id/model-stats?period=custom answers for CRS days `startDate`..`endDate` (docs/crs.md
 * §5.4), read from CRS's Redis: per model, the key's `usage:<id>:model:daily:<MODEL>:<date>` buckets summed, cost
 * from their stored `ratedCostMicro` (quirk 12), biggest first. The models of a day come from CRS's small per-day
 * model index (`usage:model:daily:index:<date>`), so one pipeline per key reads everything. An unknown key
 * answers no models, as CRS does.
 */
export async function readKeyModelStats(
  r: CrsRedisReads,
  id: string,
  range: { startDate: string; endDate: string },
): Promise<CrsModelStat[]> {
  const from = Date.parse(`${range.startDate}T00:00:00Z`);
  const to = Date.parse(`${range.endDate}T00:00:00Z`);
  if (!(from <= to) || to - from > 366 * DAY_MS) {
    throw new RangeError(`a model-stats range of at most a year, got ${range.startDate}..${range.endDate}`);
  }
  const dates: string[] = [];
  for (let t = from; t <= to; t += DAY_MS) dates.push(new Date(t).toISOString().slice(0, 10));
  // The days' model indexes side by side: one round trip, not one per day.
  const days = await Promise.all(
    dates.map(async (date) => ({ date, models: await r.members(`usage:model:daily:index:${date}`) })),
  );
  const b = r.batch();
  b.hmget(`apikey:${id}`, 'id');
  for (const { date, models } of days) {
    b.hget(`usage:daily:${id}:${date}`, 'requests');
    for (const m of models) b.hmget(`usage:${id}:model:daily:${m}:${date}`, ...FIELDS);
  }
  const replies = await b.exec();
  if ((replies[0] as Array<string | null>)[0] === null) return [];
  const byModel = new Map<string, CrsModelStat>();
  let i = 1;
  for (const { date, models } of days) {
    const dayRequests = int(replies[i++]);
    let found = 0;
    for (const model of models) {
      const [requests, input, output, cacheCreate, cacheRead, micro] = (replies[i++] as unknown[]).map(int);
      if (requests === 0) continue;
      found += requests;
      const s = byModel.get(model) ?? {
        model,
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheCreateTokens: 0,
        cacheReadTokens: 0,
        tokens: 0,
        cost: 0,
      };
      s.requests += requests;
      s.inputTokens += input;
      s.outputTokens += output;
      s.cacheCreateTokens += cacheCreate;
      s.cacheReadTokens += cacheRead;
      s.tokens += input + output + cacheCreate + cacheRead;
      // Summed in micro-dollars, turned into dollars once below (as CRS sums the stored micros).
      s.cost += micro;
      byModel.set(model, s);
    }
    // The key's own day counted requests its model buckets do not hold: not the layout this reader knows.
    if (dayRequests > 0 && found === 0) {
      throw new CrsRedisUnusable(`usage:daily:${id}:${date} counts requests, but no model bucket of the day does`);
    }
  }
  return [...byModel.values()].map((s) => ({ ...s, cost: s.cost / 1e6 })).sort((a, b) => b.tokens - a.tokens);
}
