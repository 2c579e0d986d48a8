import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmulator } from '../../src/crs-emulator/index.js';
import { hashPassword } from '../../src/domain/accounts/password-hash.js';
import { markerOf } from '../../src/domain/keys/crs-fields.js';
import { users } from '../../src/infra/db/schema.js';
import { createTestDatabase } from '../helpers/db.js';
import { PortalProcess } from '../support/portal-process.js';

/**
 * The fault test of issue 9: `kill -9` the portal in the middle of a burst of creates and start it again; after
 * one sync every key in CRS carrying a portal marker is in the portal's database or soft-deleted.
 */
const database = await createTestDatabase();
const emulator = await startEmulator({ latency: 'fast', port: 0 });
const processes: PortalProcess[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill9();
  emulator.resume();
  await emulator.close();
});

const env = {
  DATABASE_URL: database.url,
  REDIS_URL: inject('redisUrl'),
  CRS_BASE_URL: emulator.url,
  CRS_ADMIN_USERNAME: 'admin',
  CRS_ADMIN_PASSWORD: 'admin',
  CRS_TIMEOUT_MS: '400',
  SYNC_INTERVAL: '5',
  DEFAULT_MAX_KEYS: '100',
};
const query = async <T>(q: string) => ((await database.db.execute(q as never)) as unknown as { rows: T[] }).rows;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(portal: PortalProcess, email: string): Promise<string> {
  const res = await fetch(`${portal.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: portal.url },
    body: JSON.stringify({ email, password: 'correct horse battery staple' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('a portal killed in the middle of a burst of creates', () => {
  it('leaves no live orphan: after one sync every marked CRS key is in the database or soft-deleted', async () => {
    const email = 'burst@example.com';
    await database.db
      .insert(users)
      .values({ email, passwordHash: await hashPassword('correct horse battery staple'), displayName: 'burst' });
    const first = await PortalProcess.start('portal', env);
    processes.push(first);
    const token = await signIn(first, email);

    const delivered: string[] = [];
    const create = (name: string) =>
      fetch(`${first.url}/api/keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name }),
      })
        .then(async (r) => {
          if (r.status === 201) delivered.push(((await r.json()) as { key: { name: string } }).key.name);
        })
        .catch(() => {});
    for (let i = 0; i < 4; i++) await create(`before-${i}`);
    expect(delivered).toHaveLength(4);
    const burst = Array.from({ length: 20 }, (_, i) => create(`burst-${i}`));
    // Some of the burst reach CRS; then CRS hangs with the rest accepted, and the portal dies under them.
    while (emulator.requestCount('POST /admin/api-keys') < 10) await sleep(2);
    emulator.pause();
    await sleep(100);
    await first.kill9();
    await Promise.all(burst);
    emulator.resume(); // CRS completes what it accepted: keys with markers nobody will ever deliver
    await sleep(50);

    const marked = () => [...emulator.store.keys.keys.values()].filter((k) => markerOf(k.description));
    expect(marked().length).toBeGreaterThan(delivered.length);

    const second = await PortalProcess.start('portal', env);
    processes.push(second);
    const [{ deadline }] = await query<{ deadline: string | null }>(
      'select max(deadline) as deadline from key_creates',
    );
    const lastSync = async () =>
      (await query<{ at: string | null }>(`select last_success_at as at from job_state where name = 'usage-sync'`))[0]
        ?.at;
    // A cycle that began after every deadline, and the one after it (so the first one's settlement finished).
    while (!(await lastSync()) || Date.parse((await lastSync())!) <= Date.parse(deadline!)) await sleep(200);
    const settledBy = await lastSync();
    while ((await lastSync()) === settledBy) await sleep(200);

    const inDb = new Set((await query<{ id: string }>('select crs_key_id as id from api_keys')).map((r) => r.id));
    const orphans = marked().filter((k) => !inDb.has(k.id) && !k.isDeleted);
    expect(orphans.map((k) => k.name)).toEqual([]);
    // Every key the burst delivered is the user's, live; nothing was hard-deleted.
    const rows = await query<{ name: string; status: string }>('select name, status from api_keys');
    for (const name of delivered) expect(rows).toContainEqual({ name, status: 'active' });
    expect(emulator.requestCount('DELETE /admin/api-keys/:id/permanent')).toBe(0);
    expect(await query(`select 1 from key_creates where status = 'pending'`)).toEqual([]);
    await second.stop();
  }, 90_000);
});
