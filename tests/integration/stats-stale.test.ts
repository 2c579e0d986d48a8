import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * Issue 11 point 6: `stale` means the data is older than it should be (the last sync failed, or is older than
 * three intervals), never that a database load was slower than the cache's soft timeout.
 */
const t = await createTestApp();
const user = await createUser(t);
const key = await createKey(t, user);
t.emulator.store.seedHistory(key.crsKeyId, { days: 5, requestsPerDay: 3 });
await t.app.services.sync.runNow();
const usage = () => t.app.inject({ method: 'GET', url: '/api/stats/usage', headers: authHeaders(user) });

afterEach(() => {
  vi.useRealTimers();
});

describe('stale', () => {
  it('is false for a cached answer served because the database load is slow', async () => {
    const warm = await usage();
    expect(warm.json()).toMatchObject({ stale: false });

    // A minute later the entry is past its TTL, and the database holds the usage table locked: the load
    // waits, and the last good answer is served at the cache's soft timeout.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const locker = new pg.Client({ connectionString: t.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table usage_daily in access exclusive mode');
      const slow = await usage();
      expect(slow.statusCode).toBe(200);
      expect(slow.json()).toEqual({ ...warm.json(), stale: false });
      // It was the graced entry (a slow load), not a fresh one.
      expect(t.deps.cache.counters().stats.stale).toBeGreaterThan(0);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });

  it('is true when the last sync failed', async () => {
    t.emulator.faults.down = true;
    try {
      expect((await t.app.services.sync.runNow())?.ok).toBe(false);
    } finally {
      t.emulator.faults.down = false;
    }
    expect((await usage()).json()).toMatchObject({ stale: true });
  });
});
