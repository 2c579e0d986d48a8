import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { FastifyBaseLogger } from 'fastify';
import { createNotifyChannel, type NotifyChannel } from './notify.js';
import { schema } from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
  /**
   * Runs `fn` only if this process wins the session-level advisory lock `lockId`; returns undefined otherwise.
   * PGlite is single-process, so it always wins.
   */
  withLeaderLock<T>(lockId: number, fn: () => Promise<T>): Promise<T | undefined>;
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
    // Fail fast while PostgreSQL restarts instead of queueing requests for long (product.md §5).
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
        try {
          return await fn();
        } finally {
          if (!lost) await client.query('select pg_advisory_unlock($1)', [lockId]).catch((e: Error) => (lost = e));
        }
      } finally {
        client.off('error', onError);
        // A connection that failed is destroyed rather than returned to the pool (with a lock it may still hold).
        client.release(lost);
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
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async ping() {
      await client.query('select 1');
    },
    withLeaderLock: (_lockId, fn) => fn(),
    close: () => client.close(),
  };
}
