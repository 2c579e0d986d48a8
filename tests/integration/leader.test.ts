import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../support/free-port.js';
import { type SpawnedPortal, spawnPortal, waitListening } from '../support/portal-process.js';

/*
 * Issue 11 point 1: one sync per interval whatever the number of instances (a lease in PostgreSQL), and another
 * instance takes over within one interval when the leader stops or dies.
 */
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function syncRuns(t: TestApp): Promise<number> {
  const r = await t.deps.database.db.execute(sql`select coalesce(sum(runs), 0)::int as n from job_state`);
  return rowsOf<{ n: number }>(r)[0].n;
}

async function leaseHolder(t: TestApp): Promise<string | null> {
  const r = await t.deps.database.db.execute(
    sql`select holder from job_leases where name = 'leader' and lease_until > now()`,
  );
  return rowsOf<{ holder: string }>(r)[0]?.holder ?? null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('leader lease: three instances on one database', () => {
  it('run the sync once per interval in total, and another takes over when the leader stops', async () => {
    const first = await createTestApp();
    const others = [
      await createTestApp({ databaseUrl: first.databaseUrl, emulator: first.emulator }),
      await createTestApp({ databaseUrl: first.databaseUrl, emulator: first.emulator }),
    ];
    const instances = [first, ...others];
    const intervalMs = 1000;
    for (const t of instances) {
      t.config.syncIntervalSec = intervalMs / 1000;
      t.app.services.jobs.start();
    }
    await expect.poll(() => syncRuns(first), { timeout: 15_000 }).toBeGreaterThan(0);

    const runs0 = await syncRuns(first);
    // Every cycle reads the per-key trend twice, daily and hourly (decision 025; usage-stats only every
    // SYNC_TOTALS_INTERVAL, decision 032).
    const calls0 = first.emulator.requestCount('GET /admin/api-keys-usage-trend');
    const started = Date.now();
    await sleep(6 * intervalMs);
    const runs = (await syncRuns(first)) - runs0;
    const calls = first.emulator.requestCount('GET /admin/api-keys-usage-trend') - calls0;
    const intervals = (Date.now() - started) / intervalMs;

    // Three unco-ordinated instances would sync about three times per interval.
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    // CRS sees the same: two trend calls per run (a run may straddle the window's edges).
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(2 * (Math.ceil(intervals) + 1));
    const leaders = instances.filter((t) => t.app.services.jobs.leader.isLeader());
    expect(leaders).toHaveLength(1);
    const [leader] = leaders;
    expect(await leaseHolder(first)).toBe(leader.app.services.jobs.leader.instanceId);
    expect(await leader.app.inject({ method: 'GET', url: '/metrics' }).then((r) => r.body)).toMatch(/^kp_leader 1$/m);

    // A clean stop gives the lease up: one of the two others leads and the syncs go on.
    await leader.app.services.jobs.stop();
    const rest = instances.filter((t) => t !== leader);
    await expect
      .poll(() => rest.filter((t) => t.app.services.jobs.leader.isLeader()).length, { timeout: 5000 })
      .toBe(1);
    const before = await syncRuns(first);
    await expect.poll(() => syncRuns(first), { timeout: 5000 }).toBeGreaterThan(before);
    for (const t of rest) await t.app.services.jobs.stop();
  });
});

describe('leader lease: the leader process dies', () => {
  const children: SpawnedPortal[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
  });

  it('is replaced within one interval by another instance', async () => {
    const t = await createTestApp();
    const intervalSec = 5;
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawnPortal({
        PORT: String(port),
        DATABASE_URL: t.databaseUrl,
        CRS_BASE_URL: t.emulator.url,
        CRS_ADMIN_USERNAME: 'admin',
        CRS_ADMIN_PASSWORD: 'admin',
        SYNC_INTERVAL: String(intervalSec),
        LOG_LEVEL: 'info',
      });
      children.push(child);
      await waitListening(child, `http://127.0.0.1:${port}/livez`);
    }
    await expect.poll(() => leaseHolder(t), { timeout: 15_000 }).not.toBeNull();
    await expect.poll(() => syncRuns(t), { timeout: 15_000 }).toBeGreaterThan(0);
    const holder = (await leaseHolder(t))!;
    const leader = children.find((c) => holder.includes(`:${c.pid}:`))!;
    const survivor = children.find((c) => c !== leader)!;
    expect(leader).toBeDefined();

    leader.child.kill('SIGKILL');
    await leader.exited;
    const killedAt = rowsOf<{ at: string }>(await t.deps.database.db.execute(sql`select now() as at`))[0].at;
    const runsAtKill = await syncRuns(t);

    await expect.poll(() => leaseHolder(t), { timeout: 4 * intervalSec * 1000 }).toContain(`:${survivor.pid}:`);
    await expect.poll(() => syncRuns(t), { timeout: 4 * intervalSec * 1000 }).toBeGreaterThan(runsAtKill);
    // The first run after the death came within about one interval (generously: two), on the survivor.
    const r = await t.deps.database.db.execute(
      sql`select extract(epoch from last_run_at - ${killedAt}::timestamptz)::float8 as s from job_state where name = 'usage-sync'`,
    );
    expect(rowsOf<{ s: number }>(r)[0].s).toBeLessThanOrEqual(2 * intervalSec);
    expect(survivor.output()).toContain('this instance now leads the background jobs');
  });
});
