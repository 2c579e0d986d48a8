import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmulator } from '../../src/crs-emulator/index.js';
import { createTestDatabase } from '../helpers/db.js';
import { freePort } from '../support/free-port.js';
import { type SpawnedPortal, spawnPortal, waitListening } from '../support/portal-process.js';
import { startPostgres } from '../support/postgres-server.js';

/*
 * Issue 11 point 5: the real start path (`node --import tsx src/main.ts`): configuration checked and
 * dependencies reached before any job starts, each failure naming the variable and the cause, the port bound
 * before the jobs run. Asserted: exit codes and messages.
 */
const emulator = await startEmulator({ latency: 'fast', port: 0 });
const children: SpawnedPortal[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await emulator.close();
});

const PASSWORD = 'the-secret-password';
const pgUrl = new URL(inject('pgUrl'));

function start(env: Record<string, string>): SpawnedPortal {
  const child = spawnPortal({
    CRS_BASE_URL: emulator.url,
    CRS_ADMIN_USERNAME: 'admin',
    CRS_ADMIN_PASSWORD: 'admin',
    LOG_LEVEL: 'info',
    ...env,
  });
  children.push(child);
  return child;
}

async function failsWith(env: Record<string, string>, message: string): Promise<string> {
  const child = start({ PORT: '0', ...env });
  expect(await child.exited).toBe(1);
  expect(child.output()).toContain(message);
  expect(child.output()).not.toContain(PASSWORD);
  expect(child.output()).not.toMatch(/^\s+at /m); // a message, not a stack trace
  return child.output();
}

describe('start-up: a bad DATABASE_URL exits 1 naming the variable and the cause, never the password', () => {
  it('connection refused', async () => {
    const port = await freePort();
    await failsWith(
      { DATABASE_URL: `postgres://portal:${PASSWORD}@127.0.0.1:${port}/portal` },
      `DATABASE_URL: cannot connect to postgres://portal@127.0.0.1:${port}/portal: connection refused (ECONNREFUSED)`,
    );
  });

  it('unknown role, unknown database', async () => {
    const host = `127.0.0.1:${pgUrl.port}`;
    await Promise.all([
      failsWith(
        { DATABASE_URL: `postgres://nobody:${PASSWORD}@${host}/postgres` },
        `DATABASE_URL: cannot connect to postgres://nobody@${host}/postgres: role "nobody" does not exist`,
      ),
      failsWith(
        { DATABASE_URL: `postgres://postgres@${host}/no_such_db` },
        `DATABASE_URL: cannot connect to postgres://postgres@${host}/no_such_db: database "no_such_db" does not exist`,
      ),
    ]);
  });

  it('password authentication failed', async () => {
    const guarded = await startPostgres({ password: 'the-right-one' });
    try {
      await failsWith(
        { DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:${guarded.port}/postgres` },
        `DATABASE_URL: cannot connect to postgres://postgres@127.0.0.1:${guarded.port}/postgres: password authentication failed`,
      );
    } finally {
      await guarded.stop();
    }
  });
});

describe('start-up: the port', () => {
  it('exits 1 with "PORT n is already in use" before any sync or reconcile ran', async () => {
    const database = await createTestDatabase();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    emulator.resetRequestCounts();
    try {
      await failsWith(
        { DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1' },
        `PORT ${port} is already in use`,
      );
    } finally {
      taken.close();
    }
    expect(emulator.requestCount('GET /admin/usage-stats')).toBe(0);
    expect(emulator.requestCount('GET /admin/api-keys')).toBe(0);
    const jobs = await database.db.execute(
      sql`select (select count(*) from job_state)::int + (select count(*) from job_leases)::int as n`,
    );
    expect((jobs as unknown as { rows: Array<{ n: number }> }).rows[0].n).toBe(0);
  });
});

describe('start-up: CRS problems are logged with their cause and do not stop the portal', () => {
  it('a wrong CRS password: an error naming the variables, and health reports crs down "credentials rejected"', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const token = 'metrics-token-0123456789abcdef';
    const child = start({
      DATABASE_URL: database.url,
      PORT: String(port),
      CRS_ADMIN_PASSWORD: PASSWORD,
      METRICS_TOKEN: token,
    });
    await waitListening(child, `http://127.0.0.1:${port}/livez`);
    expect(child.output()).toMatch(
      /"level":50,.*CRS_ADMIN_USERNAME \/ CRS_ADMIN_PASSWORD: CRS at .* rejected the credentials of \\"admin\\"/,
    );
    expect(child.output()).not.toContain(PASSWORD);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await health.json()) as { checks: { crs: string }; details: { crs: { reason: string } } };
    expect(body.checks.crs).toBe('down');
    expect(body.details.crs.reason).toBe('credentials rejected');
  });

  it('an unreachable CRS: an error with its cause', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const crsPort = await freePort();
    const child = start({
      DATABASE_URL: database.url,
      PORT: String(port),
      CRS_BASE_URL: `http://127.0.0.1:${crsPort}`,
    });
    await waitListening(child, `http://127.0.0.1:${port}/livez`);
    expect(child.output()).toContain(
      `CRS_BASE_URL: cannot reach CRS at http://127.0.0.1:${crsPort}: connection refused (ECONNREFUSED)`,
    );
  });
});
