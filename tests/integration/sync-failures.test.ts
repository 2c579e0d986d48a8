import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/infra/db/client.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { createTestApp } from '../helpers/app.js';
import { startPostgres } from '../support/postgres-server.js';

/*
 * Issue 11 point 4: every sync failure is logged, counted and alerted whatever its cause — the database stopping
 * in the middle of a cycle included, when the job's row cannot even be read.
 */
const pg = await startPostgres();
afterAll(() => pg.stop());
const setup = await openDatabase({ databaseUrl: pg.url, dataDir: '.', poolSize: 1 });
await migrate(setup);
await setup.close();

let logs = '';
const logStream = new Writable({
  write(chunk, _enc, done) {
    logs += chunk.toString();
    done();
  },
});
// Every cycle reads usage-stats (decision 032's SYNC_TOTALS_INTERVAL=0): the test holds a cycle on that call.
const t = await createTestApp({ databaseUrl: pg.url, logStream, env: { SYNC_TOTALS_INTERVAL: '0' } });
t.config.syncIntervalSec = 1;
const { sync, jobs } = t.app.services;

async function metric(line: RegExp): Promise<number> {
  const text = await t.deps.metrics.registry.metrics();
  const m = line.exec(text);
  return m ? Number(m[1]) : 0;
}
const errorRuns = () => metric(/^kp_sync_runs_total\{outcome="error"\} (\d+)$/m);
const syncAlert = () => metric(/^kp_alert_active\{alert="sync_failing"\} (\d+)$/m);

describe('sync failures caused by the database', () => {
  it('are logged, counted and alerted, also while the job row cannot be read, and clear once it is back', async () => {
    jobs.start();
    await expect.poll(() => sync.status().then((r) => r?.runs ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => sync.running, { timeout: 10_000, interval: 20 }).toBe(false);
    expect(sync.failuresInARow).toBe(0);

    // The next cycle waits on a slow CRS; PostgreSQL stops meanwhile, then CRS answers.
    t.emulator.faults.extraDelayMs = 1500;
    const calls = t.emulator.requestCount('GET /admin/usage-stats');
    await expect
      .poll(() => t.emulator.requestCount('GET /admin/usage-stats'), { timeout: 10_000, interval: 20 })
      .toBeGreaterThan(calls);
    expect(sync.running).toBe(true);
    await pg.pause();
    t.emulator.faults.extraDelayMs = 0;
    try {
      await expect.poll(errorRuns, { timeout: 15_000 }).toBeGreaterThan(0);
      // The cycle itself failed, and so did recording its failure in the job's row: both are logged.
      await expect.poll(() => logs, { timeout: 10_000 }).toContain('could not record the failed usage sync');
      expect(logs).toMatch(/"msg":"usage sync failed; previous data kept, retrying next interval"/);
      // While the database stays down the leader cannot claim its runs: each one missed is a failure too.
      await expect.poll(() => sync.failuresInARow, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      expect(await errorRuns()).toBeGreaterThanOrEqual(2);
      expect(logs).toContain('scheduled run missed, the database did not answer');
      expect(logs).not.toContain('Failed query');

      const alerts = await jobs.evaluateAlerts();
      expect(alerts.map((a) => a.name)).toContain('sync_failing');
      expect(await syncAlert()).toBe(1);
    } finally {
      await pg.resume();
    }

    await expect.poll(() => sync.failuresInARow, { timeout: 20_000 }).toBe(0);
    expect((await jobs.evaluateAlerts()).map((a) => a.name)).not.toContain('sync_failing');
    expect(await syncAlert()).toBe(0);
  });
});
