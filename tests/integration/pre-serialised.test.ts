import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestApp } from '../helpers/app.js';
import { type CreatedKey, createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';
import { strictSchema } from '../helpers/strict-schema.js';

/*
 * docs/decisions/003: answers the domain builds as JSON are sent without Fastify's serializer, so their response
 * schemas would document them without anyone checking. This finds every route declared with `getJson`
 * (src/http/route.ts marks them `config.preSerialised`) as the app registers it, asks each with real data — keys,
 * a month of usage synced from CRS, live requests — first from the database and then from the cache, and parses
 * every answer with the route's own response schema made strict.
 */
const routes: { url: string; schema: z.ZodType }[] = [];
const t = await createTestApp({
  onRoute: (r: RouteOptions) => {
    if (!r.config?.preSerialised || r.method !== 'GET') return;
    const responses = r.schema?.response as Record<number, z.ZodType>;
    routes.push({ url: r.url, schema: responses[200] });
  },
});
const admin = await createUser(t, { role: 'admin' });
const keys: CreatedKey[] = [];
for (const name of ['laptop', 'ci', 'spare']) keys.push(await createKey(t, admin, { name }));
for (const [i, k] of keys.entries()) {
  t.emulator.store.seedHistory(k.crsKeyId, { days: 30, requestsPerDay: 2 + i * 3, seed: i + 1 });
}
const relay = await fetch(`${t.emulator.url}/api/v1/messages`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': keys[0].secret },
  body: JSON.stringify({
    model: 'claude-sonnet-4-20250514',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hi' }],
  }),
});
expect(relay.status).toBe(200);
await t.app.services.sync.runNow();
// A deleted key with usage: lists and usage keep it in their own way.
const del = await t.app.inject({ method: 'DELETE', url: `/api/keys/${keys[2].id}`, headers: authHeaders(admin) });
expect(del.statusCode).toBe(204);
const [k1, k2] = keys;

/**
 * Query strings per route (path parameters are filled with a key of the user's). A new pre-serialised route that
 * needs more than its defaults fails below with its 400 until it is given some here.
 */
const QUERIES: Record<string, string[]> = {
  '/api/keys': ['', '?status=all&sort=tokens&order=asc', `?search=${encodeURIComponent('lap')}`],
  '/api/stats/usage': [
    '',
    '?range=7d',
    `?keyId=${k1.id}`,
    `?keyId=${keys[2].id}&range=90d`,
    '?granularity=hour&range=7d',
    `?granularity=hour&range=7d&keyId=${k1.id}`,
  ],
  '/api/stats/compare': [`?keyIds=${k1.id},${k2.id}`, `?keyIds=${k2.id},${keys[2].id}&range=365d`],
  '/api/stats/leaderboard': ['', '?sortBy=cost&limit=2', '?scope=all', '?range=30d', '?scope=all&range=7d'],
  '/api/stats/summary': ['', '?range=7d', '?range=365d'],
  '/api/stats/statement': ['', `?month=${new Date().toISOString().slice(0, 7)}`],
  '/api/keys/:id/models': ['', '?range=7d'],
  '/api/keys/:id/requests': ['', '?page=2&pageSize=1', '?model=claude-opus-4-1-20250805'],
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const casesOf = (route: string) =>
  (QUERIES[route] ?? ['']).map((q) => {
    const url = `${route.replace(':id', k1.id)}${q}`;
    return { url, title: `${route}${q.replace(UUID, (id) => `<${keys.find((k) => k.id === id)?.body.name}>`)}` };
  });

describe('pre-serialised answers match their response schemas', () => {
  it('finds the pre-serialised routes by their declaration', () => {
    expect(routes.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/api/keys',
        '/api/stats/usage',
        '/api/stats/compare',
        '/api/stats/leaderboard',
        '/api/keys/:id/models',
        '/api/keys/:id/requests',
      ]),
    );
  });

  it('has data to check: keys with usage, and live requests', async () => {
    const usage = await t.app.inject({ url: '/api/stats/usage', headers: authHeaders(admin) });
    expect(usage.json().totals.requests).toBeGreaterThan(0);
    expect(usage.json().perKey).toHaveLength(3);
    const requests = await t.app.inject({ url: `/api/keys/${k1.id}/requests`, headers: authHeaders(admin) });
    expect(requests.json().items.length).toBeGreaterThan(0);
  });

  it('has queries only for routes that exist (a renamed route keeps its cases)', () => {
    expect(Object.keys(QUERIES).filter((url) => !routes.some((r) => r.url === url))).toEqual([]);
  });

  for (const route of routes) {
    for (const { url, title } of casesOf(route.url)) {
      it(`${title}: loaded, then cached, parses strictly`, async () => {
        const strict = strictSchema(route.schema);
        for (const pass of ['loaded', 'cached']) {
          const res = await t.app.inject({ url, headers: authHeaders(admin) });
          expect(res.statusCode, `${pass}: ${res.body}`).toBe(200);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          const parsed = strict.safeParse(res.json());
          expect(parsed.error?.issues ?? [], `${pass}: ${url}`).toEqual([]);
        }
      });
    }
  }
});
