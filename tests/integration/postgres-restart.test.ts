import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/infra/db/client.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectError } from '../helpers/security-suite.js';
import { startPostgres } from '../support/postgres-server.js';

// A PostgreSQL of this file's own, so stopping it does not disturb other files.
const pg = await startPostgres();
afterAll(() => pg.stop());
const setup = await openDatabase({ databaseUrl: pg.url, dataDir: '.', poolSize: 1 });
await migrate(setup);
await setup.close();
const t = await createTestApp({ databaseUrl: pg.url });
const user = await createUser(t);
const key = await createKey(t, user);

describe('PostgreSQL restart', () => {
  it('fails fast with 503 during the gap (warm reads still answer) and recovers by itself', async () => {
    const warm = await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) });
    expect(warm.statusCode).toBe(200);

    await pg.pause();
    try {
      const uncached = await t.app.inject({ method: 'GET', url: `/api/keys/${key.id}`, headers: authHeaders(user) });
      expectError(uncached, 503, 'upstream_unavailable');
      const write = await t.app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: authHeaders(user),
        payload: { name: 'x' },
      });
      expectError(write, 503, 'upstream_unavailable');
      const health = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json().checks.db).toBe('down');
      // Not ready either: a load balancer sends the requests to an instance that can serve them.
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      // Already cached answers keep being served from memory.
      expect((await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) })).statusCode).toBe(
        200,
      );
    } finally {
      await pg.resume();
    }

    await expect
      .poll(
        async () =>
          (await t.app.inject({ method: 'GET', url: `/api/keys/${key.id}`, headers: authHeaders(user) })).statusCode,
        {
          timeout: 15_000,
          interval: 200,
        },
      )
      .toBe(200);
    // Health checks are cached for a second: it recovers by itself too.
    await expect
      .poll(async () => (await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode, { timeout: 5000 })
      .toBe(200);
  });
});
