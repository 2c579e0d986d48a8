import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/**
 * The only commands the direct reader sends to CRS's Redis (docs/decisions/022): GET, SSCAN, HMGET and HGET,
 * pipelined. Nothing here can write, and nothing walks the keyspace (no KEYS, no SCAN): every key read is named
 * through one of CRS's own indexes. The connection needs no more than a Redis user limited to those reads.
 */
export interface CrsRedisReads {
  get(key: string): Promise<string | null>;
  hget(key: string, field: string): Promise<string | null>;
  /** The members of a set, read in SSCAN steps (a set of 100,000 ids never comes in one reply). */
  members(key: string): Promise<string[]>;
  /**
   * The same, each SSCAN step handed to `onStep` (awaited) instead of collected: SSCAN may name a member twice
   * (a set rehashed while it is walked), so the consumer must not mind a repeat.
   */
  eachMember(key: string, onStep: (members: string[]) => unknown): Promise<void>;
  /** A pipeline of reads: one round trip for the whole batch. */
  batch(): ReadBatch;
  close(): Promise<void>;
}

export interface ReadBatch {
  hmget(key: string, ...fields: string[]): ReadBatch;
  hget(key: string, field: string): ReadBatch;
  get(key: string): ReadBatch;
  /** Each command's reply in order; rejects with the first command that failed. */
  exec(): Promise<unknown[]>;
}

export interface CrsRedisOptions {
  url: string;
  /** Per command (and for connecting): a CRS Redis that hangs fails the read, and the sync falls back. */
  timeoutMs: number;
  logger: FastifyBaseLogger;
}

const SSCAN_COUNT = 1000;

export function connectCrsRedis(opts: CrsRedisOptions): CrsRedisReads {
  const log = opts.logger.child({ component: 'crs-redis' });
  const client = new Redis(opts.url, {
    lazyConnect: true,
    connectTimeout: opts.timeoutMs,
    commandTimeout: opts.timeoutMs,
    // Commands wait for a connection, but only through one reconnect: a CRS Redis that is down fails the read.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    // No INFO ready check, no CLIENT SETNAME/SETINFO: a user limited to the reads above must be enough.
    enableReadyCheck: false,
    disableClientInfo: true,
  });
  let lastError = '';
  client.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    log.warn({ err: err.message }, "CRS's Redis: connection error");
  });
  client.on('ready', () => {
    lastError = '';
  });

  const batch = (): ReadBatch => {
    const p = client.pipeline();
    const b: ReadBatch = {
      hmget(key, ...fields) {
        p.hmget(key, ...fields);
        return b;
      },
      hget(key, field) {
        p.hget(key, field);
        return b;
      },
      get(key) {
        p.get(key);
        return b;
      },
      async exec() {
        const results = (await p.exec()) ?? [];
        return results.map(([err, value]) => {
          if (err) throw err;
          return value;
        });
      },
    };
    return b;
  };

  const eachMember = async (key: string, onStep: (members: string[]) => unknown) => {
    let cursor = '0';
    do {
      const [next, items] = await client.sscan(key, cursor, 'COUNT', SSCAN_COUNT);
      if (items.length) await onStep(items);
      cursor = next;
    } while (cursor !== '0');
  };

  return {
    get: (key) => client.get(key),
    hget: (key, field) => client.hget(key, field),
    async members(key) {
      const out = new Set<string>();
      await eachMember(key, (items) => {
        for (const m of items) out.add(m);
      });
      return [...out];
    },
    eachMember,
    batch,
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
