import { and, between, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import { usageDaily } from '../../src/infra/db/schema.js';
import { createTestApp, type TestApp } from './app.js';
import { type CreatedKey, createKey } from './keys.js';
import { authHeaders, createUser, type TestUser } from './security-suite.js';

/**
 * A user with three keys, 40 days of CRS history and live traffic of three models today, synced, at a fixed
 * instant (both clocks): 2026-03-20 12:00 in CRS's UTC+8. For the spend summary, hourly view, statements and
 * request log tests, which compare the portal's answers with its own rows and with CRS.
 */
export const NOW = Date.parse('2026-03-20T04:00:00.000Z');
export const MODELS = ['claude-sonnet-4-20250514', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001'];

export interface InsightsWorld {
  t: TestApp;
  emulator: Emulator;
  user: TestUser;
  keys: CreatedKey[];
  get(url: string, as?: TestUser): Promise<{ statusCode: number; body: string; json(): Json; headers: Headers }>;
  /** Sums of the user's usage_daily rows over [from, to] (what every answer must add up to). */
  dailySum(from: string, to: string, userId?: string): Promise<Sums>;
  relay(key: CreatedKey, model: string, maxTokens?: number): Promise<void>;
}

type Headers = Record<string, string | string[] | number | undefined>;
// biome-ignore lint/suspicious/noExplicitAny: JSON from the wire, checked by the assertions
export type Json = any;

export interface Sums {
  requests: number;
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  costMicros: number;
}

export async function insightsWorld(env: Record<string, string> = {}): Promise<InsightsWorld> {
  const emulator = await startEmulator({ latency: 'fast', clock: () => NOW });
  const t = await createTestApp({ emulator, clock: () => new Date(NOW), env });
  const user = await createUser(t);
  const keys: CreatedKey[] = [];
  for (const name of ['laptop', 'ci, nightly', 'notebook']) keys.push(await createKey(t, user, { name }));
  for (const [i, k] of keys.entries()) {
    emulator.store.seedHistory(k.crsKeyId, { days: 40, requestsPerDay: 4 + 3 * i, seed: 11 + i });
  }
  const w: InsightsWorld = {
    t,
    emulator,
    user,
    keys,
    async get(url, as = user) {
      const res = await t.app.inject({ method: 'GET', url, headers: authHeaders(as) });
      return res as never;
    },
    async dailySum(from, to, userId = user.id) {
      const [row] = await t.deps.database.db
        .select({
          requests: sql<string>`coalesce(sum(${usageDaily.requests}), 0)`,
          tokens: sql<string>`coalesce(sum(${usageDaily.tokens}), 0)`,
          inputTokens: sql<string>`coalesce(sum(${usageDaily.inputTokens}), 0)`,
          outputTokens: sql<string>`coalesce(sum(${usageDaily.outputTokens}), 0)`,
          cacheCreateTokens: sql<string>`coalesce(sum(${usageDaily.cacheCreateTokens}), 0)`,
          cacheReadTokens: sql<string>`coalesce(sum(${usageDaily.cacheReadTokens}), 0)`,
          costMicros: sql<string>`coalesce(sum(${usageDaily.costMicros}), 0)`,
        })
        .from(usageDaily)
        .where(and(eq(usageDaily.userId, userId), between(usageDaily.day, from, to)));
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Sums;
    },
    async relay(key, model, maxTokens = 200) {
      const res = await fetch(`${emulator.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key.secret },
        body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
    },
  };
  for (const [i, model] of MODELS.entries()) await w.relay(keys[0], model, 100 * (i + 1));
  const report = await t.app.services.sync.runNow();
  expect(report?.ok, report?.error).toBe(true);
  return w;
}

export const micros = (usd: number) => Math.round(usd * 1e6);

/** An answer's token split and cost, as the sums of rows are kept (cost in micro-dollars). */
export const asSums = (a: Json): Sums => ({
  requests: a.requests,
  tokens: a.tokens,
  inputTokens: a.inputTokens,
  outputTokens: a.outputTokens,
  cacheCreateTokens: a.cacheCreateTokens,
  cacheReadTokens: a.cacheReadTokens,
  costMicros: micros(a.cost),
});
