import type { FastifyBaseLogger } from 'fastify';
import { parseRedisUrl } from '../../lib/redis-wire.js';
import { RedisReplyError } from './resp.js';
import { RedisSocket } from './socket.js';

/**
 * The only commands the direct reader sends to CRS's Redis (docs/decisions/022): GET, SSCAN, HMGET and HGET,
 * pipelined. Nothing here can write, and nothing walks the keyspace (no KEYS, no SCAN): every key read is named
 * through one of CRS's own indexes. The connection needs no more than a Redis user limited to those reads (and
 * AUTH). A connection of its own speaks RESP directly (socket.ts, docs/decisions/039): a cycle sends about a
 * million commands at 100,000 keys.
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
  let lastError = '';
  const socket = new RedisSocket(parseRedisUrl(opts.url), opts.timeoutMs, (err) => {
    if (err.message === lastError) return;
    lastError = err.message;
    log.warn({ err: err.message }, "CRS's Redis: connection error");
  });
  /** The replies of a batch; the first error reply fails it (as the command's own error). */
  const exec = async (commands: string[][]): Promise<unknown[]> => {
    const replies = await socket.send(commands);
    for (const r of replies) if (r instanceof RedisReplyError) throw r;
    lastError = '';
    return replies;
  };
  const one = async <T>(command: string[]): Promise<T> => (await exec([command]))[0] as T;

  const batch = (): ReadBatch => {
    const commands: string[][] = [];
    const b: ReadBatch = {
      hmget(key, ...fields) {
        commands.push(['HMGET', key, ...fields]);
        return b;
      },
      hget(key, field) {
        commands.push(['HGET', key, field]);
        return b;
      },
      get(key) {
        commands.push(['GET', key]);
        return b;
      },
      exec: () => exec(commands),
    };
    return b;
  };

  const eachMember = async (key: string, onStep: (members: string[]) => unknown) => {
    let cursor = '0';
    do {
      const [next, items] = await one<[string, string[]]>(['SSCAN', key, cursor, 'COUNT', String(SSCAN_COUNT)]);
      if (items.length) await onStep(items);
      cursor = next;
    } while (cursor !== '0');
  };

  return {
    get: (key) => one(['GET', key]),
    hget: (key, field) => one(['HGET', key, field]),
    async members(key) {
      const out = new Set<string>();
      await eachMember(key, (items) => {
        for (const m of items) out.add(m);
      });
      return [...out];
    },
    eachMember,
    batch,
    close: () => socket.close(),
  };
}
