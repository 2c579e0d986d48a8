import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { matchPrefix } from './keys.js';
import { LONGEST_PHYSICAL_TTL_MS } from './namespaces.js';

/**
 * The Redis side of invalidation. Tags: a set per tag (`<prefix>:_tag:user:<id>`) lists the Redis keys of the
 * entries written with that tag, so that invalidating a user deletes exactly its keys — no SCAN of the keyspace,
 * and nothing to check on a read (tags checked on reads would cost a lookup per tag on every hit). Namespaces: SCAN +
 * pipelined DEL. A purge that Redis being away prevented is owed, and made when Redis is back (a Redis with
 * persistence would otherwise serve the invalidated entries again).
 */
export class RedisInvalidation {
  readonly #owed = new Set<string>();
  #retry?: NodeJS.Timeout;
  #closed = false;

  /** `onSettled(marker)` runs after an owed purge is made (the memory tiers may have re-read the old values). */
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly logger: FastifyBaseLogger,
    private readonly onSettled: (marker: string) => Promise<unknown>,
  ) {
    client.on('ready', () => void this.settle());
  }

  #setKey(tag: string): string {
    return `${this.prefix}:_tag:${tag}`;
  }

  /**
   * Not awaited: sent before the SET of the entry on the same connection, so Redis applies it first
   * and an entry never exists in Redis unlisted. A failure (Redis down) leaves nothing to list: the SET fails too.
   */
  register(redisKey: string, tags: readonly string[]): void {
    if (this.client.status !== 'ready') return;
    const pipeline = this.client.pipeline();
    for (const tag of tags) {
      const setKey = this.#setKey(tag);
      pipeline.sadd(setKey, redisKey);
      // The set outlives every entry it lists; each write pushes its expiry back.
      pipeline.pexpire(setKey, LONGEST_PHYSICAL_TTL_MS + 60_000);
    }
    pipeline.exec().catch(() => {});
  }

  /** Deletes the tag's entries and its set; returns how many entries were deleted (0 when owed). */
  async purgeTag(tag: string): Promise<number> {
    return (await this.#purge(`tag|${tag}`)) ?? 0;
  }

  /** Deletes every entry of the namespace; returns how many (0 when owed). */
  async purgeNamespace(name: string): Promise<number> {
    return (await this.#purge(`ns|${name}`)) ?? 0;
  }

  /** Makes the purges still owed, if Redis is there; never rejects. */
  async settle(): Promise<void> {
    if (this.#owed.size === 0 || this.client.status !== 'ready') return;
    const owed = [...this.#owed];
    this.#owed.clear();
    for (const marker of owed) {
      if ((await this.#purge(marker, true)) === undefined) continue;
      await this.onSettled(marker).catch(() => {});
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#owed.clear();
  }

  /** The number of Redis keys deleted, or undefined when the purge is owed (Redis away or failing). */
  async #purge(marker: string, retry = false): Promise<number | undefined> {
    if (this.client.status === 'ready') {
      try {
        const arg = marker.slice(marker.indexOf('|') + 1);
        return marker.startsWith('tag|')
          ? await this.#purgeTagNow(arg)
          : await purgeByPrefix(this.client, `${this.prefix}:${arg}:`);
      } catch (err) {
        const log = { err: (err as Error).message, purge: marker };
        if (retry) this.logger.debug(log, 'redis purge failed again');
        else this.logger.warn(log, 'redis purge failed; retrying until Redis answers');
      }
    }
    if (this.#closed) return undefined;
    this.#owed.add(marker);
    // A Redis that stopped answering without dropping the connection never emits 'ready': retry on a timer too.
    this.#retry ??= setTimeout(() => {
      this.#retry = undefined;
      void this.settle();
    }, 1000).unref();
    return undefined;
  }

  async #purgeTagNow(tag: string): Promise<number> {
    // Read, then delete exactly what was read: a timed-out command still runs on Redis later, so a single
    // "read and delete the set" step could delete the list while its reply (the keys to delete) is lost; and
    // SREM rather than DEL keeps a key listed by a write that raced with this purge.
    const setKey = this.#setKey(tag);
    const members = await this.client.smembers(setKey);
    if (members.length === 0) return 0;
    const deleted = await deleteKeys(this.client, members);
    await this.client.srem(setKey, ...members);
    return deleted;
  }
}

/** Pipelined DEL of these keys; returns how many existed. */
export async function deleteKeys(client: Redis, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.del(key);
  const results = (await pipeline.exec()) ?? [];
  let deleted = 0;
  for (const [err, n] of results) {
    if (err) throw err;
    deleted += Number(n);
  }
  return deleted;
}

/** Deletes every key under `prefix` with SCAN + pipelined DEL (never KEYS: it blocks Redis); returns the count. */
export async function purgeByPrefix(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', matchPrefix(prefix), 'COUNT', 1000);
    deleted += await deleteKeys(client, keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
