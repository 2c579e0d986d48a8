import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { StoredEntry } from './memory-tier.js';

/**
 * The shared tier (L2): one Redis string per entry, `<prefix>:<namespace>:<key>`, kept for the entry's TTL or
 * grace period. Its errors never reach a caller: a read that fails is a miss, a write that fails is skipped,
 * and after a failure Redis is left alone for `breakMs` (a circuit breaker), so that a hung Redis costs one
 * command timeout per period rather than one per request. Requests are then served from memory and loaders.
 *
 * The value is the JSON `{"value":{"v","at","t"},"logicalExpiration","createdAt"}` that bentocache 1.6 wrote
 * (docs/decisions/021-owning-the-cache-tiers.md): during a rolling upgrade, instances of either release read
 * each other's entries.
 */
export class RedisTier {
  #openUntil = 0;

  constructor(
    private readonly client: Redis,
    private readonly breakMs: number,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Whether a command is worth sending now: connected, and the breaker closed. */
  usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.#openUntil;
  }

  #failed(op: string, err: unknown): void {
    this.#openUntil = Date.now() + this.breakMs;
    this.logger.debug({ err: (err as Error).message, op }, 'redis cache command failed; redis left alone for a while');
  }

  async get<T>(key: string): Promise<StoredEntry<T> | undefined> {
    if (!this.usable()) return undefined;
    let raw: string | null;
    try {
      raw = await this.client.get(key);
    } catch (err) {
      this.#failed('get', err);
      return undefined;
    }
    return raw === null ? undefined : decode<T>(raw);
  }

  /** True when Redis took the write. */
  async set(key: string, entry: StoredEntry, keepMs: number): Promise<boolean> {
    if (!this.usable()) return false;
    try {
      return (await this.client.set(key, encode(entry), 'PX', Math.max(1, Math.ceil(keepMs)))) === 'OK';
    } catch (err) {
      this.#failed('set', err);
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    if (!this.usable()) return;
    try {
      await this.client.del(key);
    } catch (err) {
      this.#failed('del', err);
    }
  }
}

function encode(entry: StoredEntry): string {
  const value = entry.t ? { v: entry.v, at: entry.at, t: entry.t } : { v: entry.v, at: entry.at };
  return JSON.stringify({ value, logicalExpiration: entry.exp, createdAt: entry.at });
}

/** An entry as written by us or by bentocache 1.6; anything else (a foreign or damaged value) is a miss. */
function decode<T>(raw: string): StoredEntry<T> | undefined {
  try {
    const parsed = JSON.parse(raw) as { value?: { v?: T; at?: unknown; t?: unknown }; logicalExpiration?: unknown };
    const value = parsed.value;
    if (!value || value.v === undefined || typeof value.at !== 'number') return undefined;
    if (typeof parsed.logicalExpiration !== 'number') return undefined;
    const tags = Array.isArray(value.t) ? value.t.filter((t): t is string => typeof t === 'string') : undefined;
    return tags?.length
      ? { v: value.v, at: value.at, t: tags, exp: parsed.logicalExpiration }
      : { v: value.v, at: value.at, exp: parsed.logicalExpiration };
  } catch {
    return undefined;
  }
}
