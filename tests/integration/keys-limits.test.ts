import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { relay } from '../helpers/crs-operator.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectBadRequest } from '../helpers/security-suite.js';

/** Points 9 and 11 of issue 9: a token limit needs a rate window; lengths are counted as CRS counts them. */
const t = await createTestApp();
const capped = await createTestApp({
  env: { KEY_MAX_RATE_LIMIT_REQUESTS: '600', KEY_MAX_TOKEN_LIMIT: '100000', KEY_RATE_LIMIT_WINDOW: '60' },
});
const create = async (app: typeof t, user: { token: string }, payload: Record<string, unknown>) =>
  app.app.inject({ method: 'POST', url: '/api/keys', headers: authHeaders(user), payload });

describe('token limits and rate windows', () => {
  it('a bare token limit is refused with a 400 naming the window; with a window CRS enforces it', async () => {
    const user = await createUser(t);
    expectBadRequest(await create(t, user, { name: 'bare', limits: { tokenLimit: 300 } }), 'limits.rateLimitWindow');
    expectBadRequest(await create(t, user, { name: 'bare', limits: { rateLimitCost: 2 } }), 'limits.rateLimitWindow');

    const key = await createKey(t, user, { name: 'windowed', limits: { tokenLimit: 300, rateLimitWindow: 60 } });
    // 200-token requests: the window counts 200, then 400 ≥ 300, so the third is refused (quirk 16).
    expect(await relay(t.emulator, key.secret, 190)).toBe(200);
    expect(await relay(t.emulator, key.secret, 190)).toBe(200);
    expect(await relay(t.emulator, key.secret, 190)).toBe(429);

    // Removing the window of a key with a token limit is refused too.
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      headers: authHeaders(user),
      payload: { limits: { rateLimitWindow: 0 } },
    });
    expectBadRequest(res, 'limits.rateLimitWindow');
  });

  it('caps are per KEY_RATE_LIMIT_WINDOW: a key without limits gets that window, its own window scales the cap', async () => {
    const user = await createUser(capped);
    const plain = await create(capped, user, { name: 'no-limits' });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json().key.limits).toMatchObject({ rateLimitWindow: 60, rateLimitRequests: 600, tokenLimit: 100000 });

    const short = await create(capped, user, { name: 'short', limits: { rateLimitWindow: 6 } });
    expect(short.statusCode, short.body).toBe(201);
    expect(short.json().key.limits).toMatchObject({ rateLimitWindow: 6, rateLimitRequests: 60, tokenLimit: 10000 });

    const over = await create(capped, user, { name: 'over', limits: { rateLimitWindow: 6, rateLimitRequests: 61 } });
    expectBadRequest(over, 'limits.rateLimitRequests');
    expect(over.json().error.details[0].message).toContain('60 per 6 minutes');

    const meta = await capped.app.inject({ method: 'GET', url: '/api/meta' });
    expect(meta.json().keyLimitCaps).toMatchObject({ rateLimitRequests: 600, perWindowMinutes: 60 });
  });
});

describe('lengths as CRS counts them (UTF-16 code units)', () => {
  it('a 99-character name ending in an emoji is 101 units: 400 naming name, nothing sent to CRS', async () => {
    const user = await createUser(t);
    t.emulator.resetRequestCounts();
    const name = `${'x'.repeat(99)}😀`;
    expect([...name].length).toBe(100);
    expectBadRequest(await create(t, user, { name }), 'name');
    expectBadRequest(await create(t, user, { name: 'ok', description: `${'d'.repeat(499)}😀` }), 'description');
    expect(t.emulator.requestCount('POST /admin/api-keys')).toBe(0);

    const fits = await create(t, user, { name: `${'x'.repeat(98)}😀`, description: `${'d'.repeat(498)}😀` });
    expect(fits.statusCode, fits.body).toBe(201);
    // The portal keeps the full description; CRS's copy carries the marker within its 500 units.
    expect(fits.json().key.description).toHaveLength(500);
    const crsKey = [...t.emulator.store.keys.keys.values()].find((k) => k.name.startsWith('x'.repeat(98)))!;
    expect(crsKey.description.length).toBeLessThanOrEqual(500);
    expect(crsKey.description).toMatch(/ \[kp:[0-9a-f-]{36}\]$/);
  });
});
