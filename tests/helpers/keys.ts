import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { apiKeys } from '../../src/infra/db/schema.js';
import type { TestApp } from './app.js';
import { authHeaders, type TestUser } from './security-suite.js';

export interface CreatedKey {
  id: string;
  secret: string;
  crsKeyId: string;
  body: Record<string, unknown>;
}

/** Creates a key through the real route and returns its portal id, secret and (test-only) CRS id. */
export async function createKey(
  t: TestApp,
  user: TestUser,
  payload: Record<string, unknown> = {},
): Promise<CreatedKey> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/keys',
    headers: authHeaders(user),
    payload: { name: `key-${Math.random().toString(36).slice(2, 8)}`, ...payload },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return { id: body.key.id, secret: body.secret, crsKeyId: await crsIdOf(t, body.key.id), body: body.key };
}

export async function crsIdOf(t: TestApp, keyId: string): Promise<string> {
  const [row] = await t.deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return row.crsKeyId;
}

export async function keyRow(t: TestApp, keyId: string) {
  const [row] = await t.deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return row;
}

/**
 * Starts a create through the real route with CRS hung (paused): resolves once CRS holds the create, with the
 * request's pending answer. The caller resumes the emulator.
 */
export async function createHeldByCrs(t: TestApp, user: TestUser, name: string) {
  t.emulator.resetRequestCounts();
  t.emulator.pause();
  const answer = t.app.inject({ method: 'POST', url: '/api/keys', headers: authHeaders(user), payload: { name } });
  while (t.emulator.requestCount('POST /admin/api-keys') === 0) await new Promise((r) => setTimeout(r, 10));
  return { answer };
}
