import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { hashPassword } from '../../../src/domain/accounts/password-hash.js';
import { type Database, openDatabase } from '../../../src/infra/db/client.js';
import { apiKeys, users } from '../../../src/infra/db/schema.js';
import { PortalProcess } from '../../support/portal-process.js';
import { type PostgresServer, startPostgres } from '../../support/postgres-server.js';
import { RedisServer } from '../../support/redis-server.js';
import { CRS_PASSWORD, CRS_USER, FaultCrs } from './crs.js';
import { call, waitUntil } from './http.js';

/** Seconds between syncs in the suite: the configuration's minimum, so "one interval" is short. */
export const SYNC_INTERVAL_SEC = 5;
const PASSWORD = 'fault suite password 1';

export interface FaultUser {
  id: string;
  email: string;
  /** A session token (Bearer) from the real login route of instance A. */
  token: string;
}

export interface StackOptions {
  /** Number of portal instances (default 2). */
  instances?: number;
  /** false: the portals get no REDIS_URL (memory cache only). */
  redis?: boolean;
  env?: Record<string, string>;
}

/**
 * One scenario's world: a real PostgreSQL, a real Redis, the CRS emulator and N portal processes sharing them,
 * each started by the scenario itself (so it can kill, stop or restart any of them without touching another
 * scenario's). `close()` stops everything it started, by pid.
 */
export class FaultStack {
  readonly portals: PortalProcess[] = [];
  private constructor(
    readonly workDir: string,
    readonly pg: PostgresServer,
    readonly redis: RedisServer | undefined,
    readonly crs: FaultCrs,
    /** The suite's own connection, for what only the database can tell (CRS ids, rows). */
    readonly database: Database,
    readonly databaseUrl: string,
  ) {}

  static async start(opts: StackOptions = {}): Promise<FaultStack> {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'kp-faults-'));
    const [pg, redis, crs] = await Promise.all([
      startPostgres(),
      opts.redis === false ? undefined : RedisServer.start(),
      FaultCrs.start(workDir),
    ]);
    const database = await openDatabase({ databaseUrl: pg.url, dataDir: workDir, poolSize: 2 });
    const stack = new FaultStack(workDir, pg, redis, crs, database, pg.url);
    const env: Record<string, string> = {
      HOST: '127.0.0.1',
      DATA_DIR: path.join(workDir, 'data'),
      DATABASE_URL: pg.url,
      CRS_BASE_URL: crs.url,
      CRS_ADMIN_USERNAME: CRS_USER,
      CRS_ADMIN_PASSWORD: CRS_PASSWORD,
      // Short, so a create whose outcome is unknown is settled within a few intervals (docs/crs.md, quirk 17).
      CRS_TIMEOUT_MS: '2000',
      SYNC_INTERVAL: String(SYNC_INTERVAL_SEC),
      DEFAULT_MAX_KEYS: '1000',
      LOG_LEVEL: 'warn',
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...opts.env,
    };
    try {
      // One after the other: the first applies the migrations.
      for (let i = 0; i < (opts.instances ?? 2); i++) {
        stack.portals.push(await PortalProcess.start(String.fromCharCode(65 + i), env, workDir));
      }
    } catch (e) {
      await stack.close();
      throw e;
    }
    return stack;
  }

  get a(): PortalProcess {
    return this.portals[0];
  }

  get b(): PortalProcess {
    return this.portals[1];
  }

  /** A user inserted straight into the database (no registration policy or limit in the way), signed in on A. */
  async user(): Promise<FaultUser> {
    const email = `fault-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const [row] = await this.database.db
      .insert(users)
      .values({ email, passwordHash: await hashPassword(PASSWORD), displayName: email.split('@')[0] })
      .returning({ id: users.id });
    return { id: row.id, email, token: await this.login(email) };
  }

  /** A further session of an existing user. */
  async login(email: string, portal = this.a): Promise<string> {
    const res = await call(portal.url, '/api/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
    if (res.status !== 200) throw new Error(`login on ${portal.name}: ${res.status} ${res.text}`);
    return res.json.token;
  }

  /** A key created through the real route on A, with `days` of usage in CRS; returns its portal and CRS ids. */
  async key(user: FaultUser, days = 5): Promise<{ id: string; crsKeyId: string }> {
    const res = await call(this.a.url, '/api/keys', {
      method: 'POST',
      token: user.token,
      body: { name: `fault-${Math.random().toString(36).slice(2, 8)}` },
    });
    if (res.status !== 201) throw new Error(`key create: ${res.status} ${res.text}`);
    const id: string = res.json.key.id;
    const [row] = await this.database.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    if (days > 0) this.crs.store.seedHistory(row.crsKeyId, { days, requestsPerDay: 3 });
    return { id, crsKeyId: row.crsKeyId };
  }

  /** Waits until every instance answers the user's usage with the seeded requests (a sync brought them in). */
  async synced(user: FaultUser): Promise<void> {
    for (const portal of this.portals) {
      await waitUntil(
        `usage synced, read on ${portal.name}`,
        async () => {
          const r = await call(portal.url, '/api/stats/usage', { token: user.token });
          return { ok: r.status === 200 && r.json.totals.requests > 0 && r.json.stale === false, last: r.json };
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
    }
  }

  async close(): Promise<void> {
    for (const portal of this.portals) await portal.stop().catch(() => {});
    await this.database.close().catch(() => {});
    await Promise.all([this.crs.stop(), this.redis?.stop(), this.pg.stop()].map((p) => p?.catch(() => {})));
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
