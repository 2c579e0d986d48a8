import type { ChainableCommander, Redis } from 'ioredis';

/**
 * The write queue of the emulator's Redis mode. The emulator's store is synchronous; CRS's Redis is not: every
 * write of one tick goes into one pipeline, sent on the next tick, in order on one connection. `flush()` waits
 * for everything queued so far and reports the first failure since the last flush (so a test sees it).
 *
 * TTLs follow docs/crs.md §9: CRS re-arms a key's TTL at every write, counted from that write. The emulator
 * writes events of any time, so a TTL is counted from the event's time (`ts`): what is left of it now. A key
 * CRS would already have dropped is not written at all; a key written again keeps the longest TTL it was given
 * (PEXPIRE NX, then GT), which is the TTL of its newest write, as in CRS.
 */
export const SECOND = 1000;
export const DAY = 86_400 * SECOND;
/** Write groups per pipeline, so that seeding thousands of keys in one tick streams rather than piles up. */
const MAX_GROUPS = 2000;

export class QueuedWrites {
  private pipe: ChainableCommander | undefined;
  private queued = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    readonly redis: Redis,
    readonly now: () => number,
  ) {}

  /** The pipeline of this tick, for one group of writes. */
  get p(): ChainableCommander {
    if (this.queued >= MAX_GROUPS) this.send();
    if (!this.pipe) {
      this.pipe = this.redis.pipeline();
      setImmediate(() => this.send());
    }
    this.queued++;
    return this.pipe;
  }

  /** False when a key written at `ts` with this TTL would already be gone (CRS would have dropped it). */
  alive(ttlMs: number | null, ts: number): boolean {
    return ttlMs === null || ttlMs - (this.now() - ts) > 0;
  }

  /** What is left now of a TTL armed at `ts`, as the key's expiry unless it already has a later one. */
  expire(p: ChainableCommander, key: string, ttlMs: number | null, ts: number): void {
    if (ttlMs === null) return;
    const left = ttlMs - (this.now() - ts);
    p.call('PEXPIRE', key, String(left), 'NX');
    p.call('PEXPIRE', key, String(left), 'GT');
  }

  /** HINCRBY of every field (CRS writes zero increments too, so the fields exist), then the TTL. */
  counters(key: string, fields: ReadonlyArray<readonly [string, number]>, ttlMs: number | null, ts: number): void {
    if (!this.alive(ttlMs, ts)) return;
    const p = this.p;
    for (const [f, v] of fields) p.hincrby(key, f, v);
    this.expire(p, key, ttlMs, ts);
  }

  /** INCRBYFLOAT (CRS's cost keys hold a float as a string), then the TTL. */
  float(key: string, amount: number, ttlMs: number | null, ts: number): void {
    if (!this.alive(ttlMs, ts)) return;
    const p = this.p;
    p.incrbyfloat(key, amount);
    this.expire(p, key, ttlMs, ts);
  }

  /** SADD to an index set, its `:empty` marker deleted (CRS caches "no data" there for an hour). */
  index(key: string, member: string, ttlMs: number | null, ts: number, marker = true): void {
    if (!this.alive(ttlMs, ts)) return;
    const p = this.p;
    p.sadd(key, member);
    if (marker) p.del(`${key}:empty`);
    this.expire(p, key, ttlMs, ts);
  }

  /** Runs `task` after everything queued so far (a SCAN-delete must see the writes before it). */
  after(task: () => Promise<unknown>): void {
    this.send();
    this.pending = this.pending.then(task).catch((e: unknown) => this.fail(e));
  }

  private send(): void {
    const pipe = this.pipe;
    if (!pipe) return;
    this.pipe = undefined;
    this.queued = 0;
    const sent = pipe.exec().then(
      (results) => {
        const err = results?.find(([e]) => e)?.[0];
        if (err) this.fail(err);
      },
      (e: unknown) => this.fail(e),
    );
    this.pending = Promise.all([this.pending, sent]);
  }

  private fail(e: unknown): void {
    this.failure ??= e instanceof Error ? e : new Error(String(e));
  }

  /** Resolves when everything queued so far has been answered by Redis (failures are kept for `flush`). */
  async settled(): Promise<void> {
    this.send();
    await this.pending;
  }

  /** Everything queued so far is in Redis; rejects with the first failure since the last flush. */
  async flush(): Promise<void> {
    this.send();
    await this.pending;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }
}
