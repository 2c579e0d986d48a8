import { describe, expect, it } from 'vitest';
import { adminStatementsResponse } from '../../src/http/schemas/spend.js';
import { asSums, insightsWorld, type Json, type Sums } from '../helpers/insights-world.js';
import { createKey } from '../helpers/keys.js';
import { createUser } from '../helpers/security-suite.js';
import { strictSchema } from '../helpers/strict-schema.js';

/*
 * Issue 13 point 4: a user's monthly statement (tokens and cost by key and model) and the operator's statement of
 * every user, JSON or CSV. Their totals equal the sum of the portal's daily rows for the CRS month.
 */
const w = await insightsWorld();
const other = await createUser(w.t);
const otherKey = await createKey(w.t, other, { name: '=SUM(A1)' });
w.emulator.store.seedHistory(otherKey.crsKeyId, { days: 25, requestsPerDay: 3, seed: 99 });
const admin = await createUser(w.t, { role: 'admin' });
expect((await w.t.app.services.sync.runNow({ full: true }))?.ok).toBe(true);

describe('GET /api/stats/statement', () => {
  it('March so far: totals, each key and each model add up to the daily rows', async () => {
    const s: Json = (await w.get('/api/stats/statement?month=2026-03')).json();
    expect(s.month).toBe('2026-03');
    expect(s.range).toEqual({ from: '2026-03-01', to: '2026-03-31', timezone: 'UTC+8' });
    const daily = await w.dailySum('2026-03-01', '2026-03-31');
    expect(asSums(s.totals)).toEqual(daily);
    const sum = (rows: Json[]) => {
      const out: Sums = { ...daily };
      for (const k of Object.keys(out) as (keyof Sums)[]) out[k] = rows.reduce((a, r) => a + asSums(r)[k], 0);
      return out;
    };
    expect(sum(s.keys)).toEqual(daily);
    expect(sum(s.byModel)).toEqual(daily);
    for (const k of s.keys) expect(sum(k.models)).toEqual(asSums(k));
    expect(s.keys.map((k: Json) => k.name).sort()).toEqual(['ci, nightly', 'laptop', 'notebook']);
    // Days the portal read by model are named; older days are one row of unknown model.
    expect(s.byModel.some((m: Json) => m.model === null)).toBe(true);
    expect(s.byModel.some((m: Json) => m.model === 'claude-opus-4-1-20250805')).toBe(true);
  });

  it('the current month by default; a month in the future or malformed is a 400 naming month', async () => {
    expect((await w.get('/api/stats/statement')).json().month).toBe('2026-03');
    for (const m of ['2026-04', '2026-13', '03-2026', '1999-12']) {
      const res = await w.get(`/api/stats/statement?month=${m}`);
      expect(res.statusCode, m).toBe(400);
      expect(res.json().error.details[0].path).toBe('month');
    }
  });

  it('a month without usage is an empty statement, not an error', async () => {
    const s: Json = (await w.get('/api/stats/statement?month=2025-12')).json();
    expect(s.keys).toEqual([]);
    expect(s.totals.requests).toBe(0);
  });
});

describe('GET /api/admin/statements', () => {
  it('JSON: every user (zeros included), each equal to their daily rows, adding up to the month', async () => {
    const res = await w.get('/api/admin/statements?month=2026-03', admin);
    expect(res.statusCode).toBe(200);
    const body: Json = res.json();
    expect(strictSchema(adminStatementsResponse).safeParse(body).error?.issues ?? []).toEqual([]);
    const byUser = new Map(body.users.map((u: Json) => [u.userId, u]));
    expect(byUser.size).toBeGreaterThanOrEqual(3);
    for (const u of [w.user, other, admin]) {
      expect(asSums(byUser.get(u.id))).toEqual(await w.dailySum('2026-03-01', '2026-03-31', u.id));
    }
    expect((byUser.get(admin.id) as Json).keys).toBe(0);
    expect((byUser.get(w.user.id) as Json).keys).toBe(3);
    const total = body.users.reduce((a: number, u: Json) => a + u.tokens, 0);
    expect(total).toBe(body.totals.tokens);
  });

  it('CSV: the same figures, with a BOM and CRLF lines', async () => {
    const res = await w.get('/api/admin/statements?month=2026-03&format=csv', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="statements-2026-03.csv"');
    const [header, ...lines] = res.body.slice(1).trim().split('\r\n');
    expect(res.body.startsWith('\uFEFFmonth,userId,email,displayName,keys,requests,tokens,')).toBe(true);
    const json: Json = (await w.get('/api/admin/statements?month=2026-03', admin)).json();
    expect(lines).toHaveLength(json.users.length);
    const cols = header.split(',');
    const mine = lines.find((l: string) => l.includes(w.user.id))!.split(',');
    const u = json.users.find((x: Json) => x.userId === w.user.id);
    for (const c of ['requests', 'tokens', 'inputTokens', 'cost']) expect(mine[cols.indexOf(c)]).toBe(String(u[c]));
  });

  it('is for admins only, and refuses a bad month or format by name', async () => {
    expect((await w.get('/api/admin/statements')).statusCode).toBe(403);
    const bad = await w.get('/api/admin/statements?format=xml', admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('format');
  });
});
