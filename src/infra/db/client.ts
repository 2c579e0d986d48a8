import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { FastifyBaseLogger } from 'fastify';
import { createNotifyChannel, type NotifyChannel } from './notify.js';
import { schema } from './schema.js';

/**
 * What every repository function (src/infra/db/repos/) takes first: the database, or a transaction of it (which
 * is one too). Only src/infra/db/ builds queries with it.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** One connection's worth of database: what a session-scoped temporary table is visible to. */
export interface Session {
  db: Db;
  /** Runs `fn` in one transaction on this connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

export interface Database extends Session {
  kind: 'postgres' | 'pglite';
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
  /**
   * Runs `fn` only if this process wins the session-level advisory lock `lockId`; returns undefined otherwise.
   * `fn` gets the lock's own connection: temporary tables made on it live as long as the lock, and die with it
   * (the sync stages CRS's answers there, docs/decisions/031). PGlite is single-process, so it always wins, and its
   * one connection is the session.
   */
  withLeaderLock<T>(lockId: number, fn: (session: Session) => Promise<T>): Promise<T | undefined>;
  /**
   * Runs `fn` holding the session-level advisory lock `lockId`, waiting for it, on one connection that `fn` gets as
   * its database (so a pool of one cannot deadlock): one-off work every instance must find done, e.g. migrations.
   */
  withExclusiveLock<T>(lockId: number, fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * A LISTEN/NOTIFY channel between the processes sharing this database; undefined for the embedded database,
   * which only one process uses.
   */
  channel?(name: string, logger: FastifyBaseLogger): NotifyChannel;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts.dataDir);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Fail fast while PostgreSQL restarts instead of queueing requests for long (docs/product.md §5).
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
  });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor a checked-out one that is between queries (a transaction waiting on CRS, the sync's lock) when the
  // server goes away: pg emits that as an 'error' event nobody listens to. Its next query fails instead, and
  // the pool drops it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    transaction: (fn) => db.transaction(fn),
    kind: 'postgres',
    async ping() {
      await pool.query('select 1');
    },
    async withLeaderLock(lockId, fn) {
      const client = await pool.connect();
      // The lock's connection idles while `fn` runs: if the server goes away meanwhile, its 'error' must not be
      // an uncaught exception (the pool listens to idle clients only). The lock dies with the connection.
      let lost: Error | undefined;
      const onError = (err: Error) => {
        lost = err;
      };
      client.on('error', onError);
      try {
        const { rows } = await client.query('select pg_try_advisory_lock($1) as ok', [lockId]);
        if (!rows[0]?.ok) return undefined;
        // Drizzle over the checked-out client runs its transactions on that client (BEGIN … COMMIT on it).
        const session = drizzle(client, { schema }) as unknown as Db;
        try {
          return await fn({ db: session, transaction: (tx) => session.transaction(tx) });
        } finally {
          if (!lost) await client.query('select pg_advisory_unlock($1)', [lockId]).catch((e: Error) => (lost = e));
        }
      } finally {
        client.off('error', onError);
        // A connection that failed is destroyed rather than returned to the pool (with a lock it may still hold).
        client.release(lost);
      }
    },
    async withExclusiveLock(lockId, fn) {
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        await client.query('select pg_advisory_lock($1)', [lockId]);
        try {
          return await fn(drizzle(client, { schema }) as unknown as Db);
        } finally {
          await client.query('select pg_advisory_unlock($1)', [lockId]).catch((e: Error) => (failed = e));
        }
      } catch (e) {
        failed ??= e as Error;
        throw e;
      } finally {
        // A connection that failed is destroyed rather than returned to the pool (with a lock it may still hold).
        client.release(failed);
      }
    },
    channel: (name, logger) => createNotifyChannel(pool, pg.Client, url, name, logger),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const dir = path.resolve(dataDir, 'pglite');
  // The embedded database holds e-mail addresses, password hashes and CRS key ids: owner only. The umask covers
  // what this process creates from now on; ownerOnly fixes what exists (an older start, or PGlite's initial data
  // directory, which it unpacks with world-writable modes).
  process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  ownerOnly(path.resolve(dataDir), dir);
  const client = await PGlite.create(dir);
  ownerOnly(path.resolve(dataDir), dir);
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    transaction: (fn) => db.transaction(fn),
    kind: 'pglite',
    async ping() {
      await client.query('select 1');
    },
    withLeaderLock: (_lockId, fn) => fn({ db, transaction: (tx) => db.transaction(tx) }),
    withExclusiveLock: (_lockId, fn) => fn(db),
    close: () => client.close(),
  };
}

/**
 * DATA_DIR and the files directly in it (the demo emulator's state), and everything under the database's own
 * directory: directories 0700, files 0600. A shared directory given as DATA_DIR (sticky bit, like /tmp) is left as
 * it is, and nothing else below DATA_DIR is touched.
 */
function ownerOnly(dataDir: string, dbDir: string): void {
  if (!(statSync(dataDir).mode & 0o1000)) chmodSync(dataDir, 0o700);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(path.join(dataDir, entry.name), 0o600);
  }
  const walk = (dir: string) => {
    chmodSync(dir, 0o700);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) chmodSync(p, 0o600);
    }
  };
  walk(dbDir);
}
