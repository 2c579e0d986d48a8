import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { hashPassword } from '../../src/domain/accounts/password-hash.js';
import { hashToken, newSessionToken } from '../../src/domain/accounts/tokens.js';
import { USAGE_SYNC_JOB } from '../../src/domain/usage/freshness.js';
import type { Db } from '../../src/infra/db/client.js';
import { readJob } from '../../src/infra/db/repos/jobs.js';
import { schema } from '../../src/infra/db/schema.js';
import type { BenchEmulator } from './emulator.js';
import { json, pool } from './http.js';

/**
 * The bench's world. Users and their sessions are *inputs* (what registration and login would have produced):
 * inserted in bulk with SQL, one argon2 hash shared by every bench user, each session a random token of which
 * only the SHA-256 is stored — exactly what src/domain/accounts writes. Everything else goes through the
 * product: keys are created with POST /api/keys (which creates them in CRS), usage is seeded in CRS and reaches
 * the portal's tables only through its sync.
 */
export interface BenchUser {
  id: string;
  token: string;
  /** Portal key ids (what the API shows), in creation order. */
  keys: string[];
}

export interface World {
  admin: BenchUser;
  users: BenchUser[];
}

const BATCH = 5000;

export async function insertUsers(sql: pg.Pool, count: number): Promise<World> {
  const hash = await hashPassword('bench-password-not-secret');
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const make = async (emails: string[], role: 'user' | 'admin'): Promise<BenchUser[]> => {
    const out: BenchUser[] = [];
    for (let i = 0; i < emails.length; i += BATCH) {
      const batch = emails.slice(i, i + BATCH);
      const { rows } = await sql.query<{ id: string }>(
        `insert into users (email, password_hash, display_name, role)
         select e, $2, split_part(e, '@', 1), $3 from unnest($1::text[]) with ordinality as t(e, n) order by n
         returning id`,
        [batch, hash, role],
      );
      const tokens = rows.map(() => newSessionToken());
      await sql.query(
        `insert into sessions (token_hash, user_id, expires_at, user_agent)
         select h, u, $3::timestamptz, 'bench' from unnest($1::text[], $2::uuid[]) as t(h, u)`,
        [tokens.map(hashToken), rows.map((r) => r.id), expires],
      );
      for (const [j, r] of rows.entries()) out.push({ id: r.id, token: tokens[j], keys: [] });
    }
    return out;
  };
  const [admin] = await make(['bench-admin@bench.test'], 'admin');
  const emails = Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(6, '0')}@bench.test`);
  return { admin, users: await make(emails, 'user') };
}

/** POST /api/keys for every user, `perUser` each; users in parallel (one user's creates lock its row anyway). */
export async function createKeys(
  portal: string,
  users: BenchUser[],
  perUser: number,
  onProgress: (done: number) => void,
): Promise<void> {
  let done = 0;
  await pool(users, 48, async (u) => {
    for (let k = u.keys.length; k < perUser; k++) {
      const created = await json<{ key: { id: string } }>(`${portal}/api/keys`, {
        method: 'POST',
        token: u.token,
        body: { name: `key ${k + 1}`, description: 'bench' },
        expect: 201,
      });
      u.keys.push(created.key.id);
      if (++done % 2000 === 0) onProgress(done);
    }
  });
}

/** `days` days of history for every CRS key, ending at the emulator's current (possibly shifted) clock. */
export function seedHistory(emulator: BenchEmulator, days: number, requestsPerDay: number, round: number): number {
  let keys = 0;
  for (const id of emulator.store.keys.keys.keys()) {
    const seed = createHash('sha256').update(`${id}:${round}`).digest().readUInt32LE(0);
    emulator.store.seedHistory(id, { days, requestsPerDay, seed });
    keys++;
  }
  return keys;
}

/**
 * Asks the portal for one sync cycle (POST /api/admin/sync, as the admin) and waits until a cycle that started
 * after the request has succeeded; returns its duration as the portal recorded it. Completion is read from
 * the sync's shared state row (job_state: the same row GET /api/admin/overview reports, plus `last_full_at`).
 * A request that arrives while a scheduled cycle runs joins that cycle, so it is repeated once that one ends.
 */
export async function syncOnce(
  portal: string,
  sql: pg.Pool,
  admin: BenchUser,
  opts: { full: boolean; timeoutMs: number },
): Promise<{ ms: number }> {
  // The product's own reader over the harness's pool (drizzle opens no connection of its own).
  const db = drizzle(sql, { schema }) as unknown as Db;
  const t0 = new Date();
  let seenRun = (await readJob(db, USAGE_SYNC_JOB))?.lastRunAt?.getTime() ?? 0;
  const ask = () =>
    json(`${portal}/api/admin/sync`, { method: 'POST', token: admin.token, body: { full: opts.full }, expect: 202 });
  await ask();
  let asked = Date.now();
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    await sleep(100);
    const row = await readJob(db, USAGE_SYNC_JOB);
    if (!row?.lastRunAt) continue;
    const mark = opts.full ? row.lastFullAt : row.lastSuccessAt;
    if (mark && mark >= t0) return { ms: row.lastDurationMs ?? 0 };
    if (row.lastRunAt >= t0 && row.lastError) throw new Error(`the sync failed: ${row.lastError}`);
    // A cycle that was already running when we asked — it may have recorded its run already and be warming views —
    // was joined, not started: ask again when a run ends, and every 5 s (asking while one runs only joins it).
    if (row.lastRunAt.getTime() !== seenRun || Date.now() - asked > 5000) {
      seenRun = row.lastRunAt.getTime();
      await ask();
      asked = Date.now();
    }
  }
  throw new Error(`no ${opts.full ? 'full ' : ''}sync completed within ${opts.timeoutMs} ms`);
}
