import { afterAll, describe, expect, it } from 'vitest';
import { call, waitUntil } from './support/http.js';
import { sleep } from './support/load.js';
import { report } from './support/report.js';
import { FaultStack } from './support/stack.js';

/**
 * Issue 11, point 3: with Redis down, instances still agree within about a second — a key disabled on A shows
 * disabled on B, a session revoked on A is refused by B — and a revoked session is never accepted past that.
 * B has both in its memory cache before Redis dies, so only another invalidation path can tell it.
 */
const stack = await FaultStack.start();
afterAll(() => stack.close());
const user = await stack.user();
const key = await stack.key(user);
const doomed = await stack.login(user.email);
await stack.synced(user);

/** About a second, plus a generous margin for a loaded machine. */
const BOUND_MS = 1000 + 2000;
/** The key's status on B, in its own view and in the list (cached separately). */
async function keyOnB(): Promise<[string, string]> {
  const [one, list] = await Promise.all([
    call(stack.b.url, `/api/keys/${key.id}`, { token: user.token }),
    call(stack.b.url, '/api/keys', { token: user.token }),
  ]);
  return [one.json?.status, list.json?.items?.find((k: { id: string }) => k.id === key.id)?.status];
}
const meOnB = (token: string) => call(stack.b.url, '/api/auth/me', { token });

// Warm B's memory tier with what is about to change, then take Redis away.
for (let i = 0; i < 3; i++) {
  expect(await keyOnB()).toEqual(['active', 'active']);
  expect((await meOnB(doomed)).status).toBe(200);
}
await stack.redis!.stop();
await sleep(500);

describe('cross-instance coherence with Redis down', () => {
  it('B shows a key disabled on A within the bound, in its view and in the list', async () => {
    const disabled = await call(stack.a.url, `/api/keys/${key.id}`, {
      method: 'PATCH',
      token: user.token,
      body: { status: 'disabled' },
    });
    expect(disabled.status, disabled.text).toBe(200);
    const ms = await waitUntil(
      'B shows the key disabled (view, list)',
      async () => {
        const seen = await keyOnB();
        return { ok: seen.every((s) => s === 'disabled'), last: seen };
      },
      { timeoutMs: BOUND_MS, intervalMs: 100 },
    );
    report('Redis down: key disabled on A', `seen on B after ${ms} ms`);
  });

  it('B refuses a session revoked on A within the bound, and never accepts it again', async () => {
    const logout = await call(stack.a.url, '/api/auth/logout', { method: 'POST', token: doomed });
    expect(logout.status, logout.text).toBe(204);
    const ms = await waitUntil(
      'B refuses the revoked session',
      async () => {
        const r = await meOnB(doomed);
        return { ok: r.status === 401, last: r.status };
      },
      { timeoutMs: BOUND_MS, intervalMs: 100 },
    );
    report('Redis down: session revoked on A', `refused by B after ${ms} ms`);
    for (let i = 0; i < 10; i++) {
      for (const portal of stack.portals) {
        expect((await call(portal.url, '/api/auth/me', { token: doomed })).status).toBe(401);
      }
      await sleep(200);
    }
  });
});
