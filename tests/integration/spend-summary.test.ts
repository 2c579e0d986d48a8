import { describe, expect, it } from 'vitest';
import { crsAdmin } from '../helpers/crs-admin.js';
import { asSums, insightsWorld, type Json, MODELS, micros, NOW, type Sums } from '../helpers/insights-world.js';

/*
 * Issue 13 point 2, "done when": the spend summary's totals equal the sum of the portal's daily rows — today, this
 * month, the previous month, the range and the period before it — to the token and the micro-dollar; its parts by
 * key, by model and by day add up to them; the model figures equal CRS's where the portal knows them.
 */
const w = await insightsWorld();
const summary: Json = (await w.get('/api/stats/summary?range=30d')).json();
const zeroSums = (): Sums => ({
  requests: 0,
  tokens: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreateTokens: 0,
  cacheReadTokens: 0,
  costMicros: 0,
});
const brief = (s: Sums) => ({ requests: s.requests, tokens: s.tokens, cost: s.costMicros / 1e6 });

function addUp(rows: Json[]): Sums {
  const s = zeroSums();
  for (const r of rows) {
    const a = asSums(r);
    for (const k of Object.keys(s) as (keyof Sums)[]) s[k] += a[k] ?? 0;
  }
  return s;
}

describe('GET /api/stats/summary', () => {
  it('names CRS days: today 2026-03-20, March so far, February, the 30 days and the 30 before', () => {
    expect(summary.range).toEqual({ from: '2026-02-19', to: '2026-03-20', timezone: 'UTC+8' });
    expect(summary.today.date).toBe('2026-03-20');
    expect(summary.month).toMatchObject({ month: '2026-03', from: '2026-03-01', to: '2026-03-31' });
    expect(summary.previousMonth).toMatchObject({ month: '2026-02', from: '2026-02-01', to: '2026-02-28' });
    expect(summary.previous).toMatchObject({ from: '2026-01-20', to: '2026-02-18' });
  });

  it('every total equals the sum of the daily rows it covers', async () => {
    expect(asSums(summary.current)).toEqual(await w.dailySum('2026-02-19', '2026-03-20'));
    expect(asSums(summary.previous)).toEqual(await w.dailySum('2026-01-20', '2026-02-18'));
    expect(summary.today).toMatchObject(brief(await w.dailySum('2026-03-20', '2026-03-20')));
    expect(summary.previousMonth).toMatchObject(brief(await w.dailySum('2026-02-01', '2026-02-28')));
    const month = await w.dailySum('2026-03-01', '2026-03-20');
    expect(summary.month).toMatchObject(brief(month));
    expect(summary.current.requests).toBeGreaterThan(0);
    expect(summary.today.requests).toBeGreaterThan(0);
  });

  it('the change against the period before, and the month-end projection at the pace so far', () => {
    const ratio = (a: number, b: number) => (b === 0 ? null : (a - b) / b);
    expect(summary.change.requests).toBe(ratio(summary.current.requests, summary.previous.requests));
    expect(summary.change.tokens).toBe(ratio(summary.current.tokens, summary.previous.tokens));
    // 19.5 days of March have passed at 12:00 CRS time on the 20th; March has 31.
    const expected = Math.round((micros(summary.month.cost) / 19.5) * 31) / 1e6;
    expect(summary.month.projectedCost).toBe(expected);
  });

  it('by key, by model and by day: every part adds up to the range', () => {
    const total = asSums(summary.current);
    expect(addUp(summary.byKey)).toEqual(total);
    expect(addUp(summary.byModel)).toEqual(total);
    expect(summary.days).toHaveLength(30);
    expect(brief(addUp(summary.days))).toEqual(brief(total));
    for (const d of summary.days) {
      expect(brief(addUp(d.keys))).toEqual(brief(asSums({ ...d, inputTokens: 0 })));
      expect(brief(addUp(d.models))).toEqual(brief(asSums({ ...d, inputTokens: 0 })));
    }
    expect(new Set(summary.byKey.map((k: Json) => k.name))).toEqual(new Set(['laptop', 'ci, nightly', 'notebook']));
  });

  it('models where the portal read them (today, yesterday) equal CRS’s per-key model figures; older days are unknown', async () => {
    const today = summary.days.find((d: Json) => d.date === '2026-03-20');
    expect(today.models.every((m: Json) => m.model !== null)).toBe(true);
    expect(today.models.map((m: Json) => m.model)).toEqual(expect.arrayContaining(MODELS));
    const old = summary.days.find((d: Json) => d.date === '2026-03-01');
    expect(old.models.map((m: Json) => m.model)).toEqual([null]);
    // CRS's own per-key figures for today, summed over the user's keys, model by model.
    const crs = new Map<string, { requests: number; tokens: number; micros: number }>();
    for (const k of w.keys) {
      type Stat = { model: string; requests: number; allTokens: number; costs: { total: number } };
      const { data } = await crsAdmin<{ data: Stat[] }>(
        w.emulator.url,
        `/admin/api-keys/${k.crsKeyId}/model-stats?period=custom&startDate=2026-03-20&endDate=2026-03-20`,
      );
      for (const m of data) {
        const acc = crs.get(m.model) ?? { requests: 0, tokens: 0, micros: 0 };
        acc.requests += m.requests;
        acc.tokens += m.allTokens;
        acc.micros += micros(m.costs.total);
        crs.set(m.model, acc);
      }
    }
    const portal = new Map(
      today.models.map((m: Json) => [m.model, { requests: m.requests, tokens: m.tokens, micros: micros(m.cost) }]),
    );
    expect(portal).toEqual(crs);
  });

  it('where a day is known by model, its daily row takes CRS’s exact token split', async () => {
    const { data } = await crsAdmin<{ data: Json[] }>(
      w.emulator.url,
      `/admin/api-keys/${w.keys[0].crsKeyId}/model-stats?period=custom&startDate=2026-03-20&endDate=2026-03-20`,
    );
    const exact = addUp(data.map((m) => ({ ...m, tokens: m.allTokens, cost: m.costs.total })));
    const usage: Json = (await w.get(`/api/stats/usage?from=2026-03-20&to=2026-03-20&keyId=${w.keys[0].id}`)).json();
    expect(asSums(usage.totals)).toEqual(exact);
  });

  it('is cached like usage: a second read is a memory hit, and no CRS call', async () => {
    w.emulator.resetRequestCounts();
    const hits = w.t.deps.cache.counters().stats.hits;
    const again = await w.get('/api/stats/summary?range=30d');
    expect(again.statusCode).toBe(200);
    expect(w.t.deps.cache.counters().stats.hits).toBe(hits + 1);
    expect(w.emulator.requestCount()).toBe(0);
    expect(NOW).toBe(Date.parse('2026-03-20T04:00:00.000Z'));
  });

  it('takes a range like usage; a bad one is a 400 naming the field', async () => {
    const r = await w.get('/api/stats/summary?from=2026-03-01&to=2026-03-10');
    expect(r.json().range).toMatchObject({ from: '2026-03-01', to: '2026-03-10' });
    expect(r.json().previous).toMatchObject({ from: '2026-02-19', to: '2026-02-28' });
    const bad = await w.get('/api/stats/summary?range=3d');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('range');
  });
});
