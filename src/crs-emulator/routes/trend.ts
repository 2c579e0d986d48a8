import type { Env, Reply, Req } from '../context.js';
import { formatCost } from '../pricing.js';
import { dayString, iso } from '../time.js';
import { nextTurn, turnTaker } from '../turns.js';
import { trendRange } from './trend-range.js';

/**
 * GET /admin/api-keys-usage-trend: every non-deleted key with usage in a bucket, per bucket; cost from the stored
 * per-key micros (docs/crs.md §5.2). One pass over each key's rows in range, written straight to JSON text: the
 * response has keys × buckets entries (100,000 keys × 30 days in the benchmark: ~380 MB, sent bucket by bucket),
 * and the event loop gets a turn every thousand keys and between buckets (turns.ts).
 */
export async function keysTrend(env: Env, req: Req): Promise<Reply> {
  const tz = env.store.tz;
  const range = trendRange(req.query, tz, env.now());
  if ('status' in range) return range;
  const { from, to, granularity } = range;
  const span = to - from + 1;
  const parts: string[][] = Array.from({ length: span }, () => []);
  const acc = new Float64Array(span * 3);
  const touched: number[] = [];
  const totals: { id: string; tokens: number }[] = [];
  let entries = 0;
  const turn = turnTaker();
  for (const key of env.store.keys.keys.values()) {
    await turn();
    if (key.isDeleted) continue;
    const u = env.store.usage.keys.get(key.id);
    if (!u) continue;
    const table = granularity === 'day' ? u.daily : u.hourly;
    env.store.usage.eachRow(table, from, to, (p, requests, all, micro) => {
      const o = (p - from) * 3;
      if (acc[o + 1] === 0) touched.push(p - from);
      acc[o] += all;
      acc[o + 1] += requests;
      acc[o + 2] += micro;
    });
    if (touched.length === 0) continue;
    let tokens = 0;
    const head = `${JSON.stringify(key.id)}:{"name":${JSON.stringify(key.name)},"tokens":`;
    entries += touched.length;
    for (const i of touched) {
      const o = i * 3;
      const cost = acc[o + 2] / 1e6;
      parts[i].push(`${head}${acc[o]},"requests":${acc[o + 1]},"cost":${cost},"formattedCost":"${formatCost(cost)}"}`);
      tokens += acc[o];
      acc[o] = acc[o + 1] = acc[o + 2] = 0;
    }
    touched.length = 0;
    totals.push({ id: key.id, tokens });
  }
  const top = totals
    .sort((a, b) => b.tokens - a.tokens)
    .slice(0, 10)
    .map((t) => t.id);
  const raw = ['{"success":true,"data":['];
  for (let i = 0; i < span; i++) {
    const p = from + i;
    const bucket =
      granularity === 'day'
        ? `"date":"${dayString(p)}"`
        : `"hour":"${iso(tz.hourStartUtc(p))}","label":"${tz.hourLabel(p)}"`;
    raw.push(`${i ? ',' : ''}{${bucket},"apiKeys":{${parts[i].join(',')}}}`);
    parts[i] = [];
    await nextTurn();
  }
  raw.push(`],"granularity":"${granularity}","topApiKeys":${JSON.stringify(top)},"totalApiKeys":${totals.length}}`);
  return {
    status: 200,
    body: null,
    raw,
    cost: { days: granularity === 'day' ? span : 1, used: totals.length, count: entries },
  };
}
