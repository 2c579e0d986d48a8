import type { RedisBus } from './bus.js';
import type { ReadCount } from './counters.js';
import { capped, type Scope, tagsOf } from './loader.js';
import { freshEntry, type MemoryTier, type StoredEntry } from './memory-tier.js';
import type { NamespaceName, NamespaceSpec } from './namespaces.js';
import type { RedisInvalidation } from './redis-tags.js';
import type { RedisTier } from './redis-tier.js';
import type { Cached } from './types.js';

/** After a failed load answered from the grace period, how long the last good value is served before the next attempt. */
const GRACE_BACKOFF_MS = 10_000;
const TIMED_OUT = Symbol('soft timeout');

/** A running load: the invalidation count when it began, its tags when known before it ends (null: not). */
interface Run<T> {
  seq: number;
  tags: string[] | undefined | null;
  promise: Promise<StoredEntry<T>>;
}

/** What a namespace is made of (cache.ts builds them). */
export interface NamespaceParts {
  name: NamespaceName;
  spec: NamespaceSpec;
  tier: MemoryTier;
  /** With REDIS_URL: the shared tier, the bus to the other instances, and the Redis tag sets. */
  l2?: RedisTier;
  bus?: RedisBus;
  redisTags?: RedisInvalidation;
  count: ReadCount;
  /** Whether another instance's invalidations reach this process now (spec.incoherentTtlMs). */
  coherent: () => boolean;
  /** Tells the other instances through the database's channel. */
  tell?: (marker: string) => Promise<void>;
}

/**
 * What a namespace does when its memory tier has no fresh entry: Redis, then the loader — one load per key at a
 * time, which a later caller joins — bounded by the hard timeout; with a grace period, the last good value
 * (from memory or Redis) answers a failed load, or one slower than the soft timeout.
 *
 * Stale means old, never slow: an answer is `stale` when its value is older than the namespace's
 * `staleAfterMs`, however it came to be served. Answers from the grace period are counted as stale reads
 * (`kp_cache_stale_total`) either way.
 */
export class Misses<T> {
  readonly #full: string;
  readonly #keep: number;
  readonly #staleAfter: number;
  readonly #loads = new Map<string, Run<T>>();

  constructor(private readonly p: NamespaceParts) {
    this.#full = `${p.tier.prefix}:${p.name}:`;
    // Past its TTL an entry is kept for its grace period, as the fallback of a failed or slow load.
    this.#keep = p.spec.graceMs > 0 ? p.spec.graceMs : p.spec.ttlMs;
    this.#staleAfter = p.spec.staleAfterMs ?? Number.POSITIVE_INFINITY;
  }

  async miss(k: string, load: () => Promise<T>, scope: Scope<T> | undefined): Promise<Cached<T>> {
    const { tier, count, spec } = this.p;
    const seq = tier.beginLoad();
    try {
      const withGrace = spec.graceMs > 0;
      let fallback = withGrace ? (tier.lru.get(this.#full + k) as StoredEntry<T> | undefined) : undefined;
      const remote = await this.#readRedis(k);
      if (remote && remote.exp > Date.now() && this.#current(seq, k, remote)) {
        this.#keepRemote(k, remote);
        if (Date.now() - remote.at >= spec.ttlMs) count.stale++;
        else count.hits++;
        return this.#answer(remote);
      }
      if (remote && withGrace) fallback = remote;
      // Only a value no invalidation has touched since this miss began may stand in for a load.
      const graced = () => (fallback && this.#current(seq, k, fallback) ? fallback : undefined);

      // A load of the key already running is joined, unless an invalidation overtook it.
      const running = this.#loads.get(k);
      const run = running && !this.#overtaken(k, running) ? running : this.#load(k, load, scope);
      const ran = run !== running;
      try {
        let got =
          fallback && spec.softTimeoutMs !== undefined ? await within(run.promise, spec.softTimeoutMs) : undefined;
        if (got === TIMED_OUT) {
          const last = graced();
          if (last) {
            // The load goes on and refreshes the entry; this caller is answered now.
            count.stale++;
            return this.#answer(last);
          }
          got = undefined;
        }
        const fresh = got ?? (await run.promise);
        if (ran) count.misses++;
        else count.hits++; // a load another caller started
        return { value: fresh.v, stale: false };
      } catch (err) {
        const last = graced();
        if (!last) {
          count.misses++;
          throw err;
        }
        // Leave the failing source alone for a while: the last good value is fresh again until then.
        tier.set(this.#full + k, { ...last, exp: Date.now() + GRACE_BACKOFF_MS }, this.#keep);
        count.stale++;
        return this.#answer(last);
      }
    } finally {
      tier.endLoad();
    }
  }

  /** The fresh entry in Redis (copied into memory), for `get`; undefined when there is none. */
  async fromRedis(k: string): Promise<StoredEntry<T> | undefined> {
    const seq = this.p.tier.beginLoad();
    try {
      const remote = await this.#readRedis(k);
      if (!remote || remote.exp <= Date.now() || !this.#current(seq, k, remote)) return undefined;
      this.#keepRemote(k, remote);
      return remote;
    } finally {
      this.p.tier.endLoad();
    }
  }

  /** Writes an entry to memory, and to Redis telling the other instances to drop their older copy. */
  async store(k: string, stored: StoredEntry<T>): Promise<void> {
    const full = this.#full + k;
    this.p.tier.set(full, stored, this.#keep);
    const { l2, bus, redisTags } = this.p;
    if (!l2?.usable()) return;
    // Sent before the SET on the same connection, so Redis never holds the entry unlisted.
    if (stored.t) redisTags?.register(full, stored.t);
    // One connection, so Redis applies the SET before the PUBLISH: whoever is told reads the new value.
    await Promise.all([l2.set(full, stored, this.#keep), bus?.publish('set', [`${this.p.name}:${k}`])]);
  }

  #readRedis(k: string): Promise<StoredEntry<T> | undefined> {
    return this.p.l2 ? this.p.l2.get<T>(this.#full + k) : Promise.resolve(undefined);
  }

  /** For as long as Redis keeps it, at most. */
  #keepRemote(k: string, remote: StoredEntry<T>): void {
    this.p.tier.set(this.#full + k, remote, Math.max(1, remote.at + this.#keep - Date.now()));
  }

  /** False when the namespace, the key or one of the entry's tags was invalidated since `seq`. */
  #current(seq: number, k: string, entry: StoredEntry<T>): boolean {
    return !this.p.tier.invalidatedSince(seq, this.p.name, `${this.p.name}:${k}`, entry.t);
  }

  #overtaken(k: string, run: Run<T>): boolean {
    const { tier, name } = this.p;
    // Tags computed from the loaded value are not known yet: any invalidation since may concern it.
    return run.tags === null ? run.seq !== tier.seq : tier.invalidatedSince(run.seq, name, `${name}:${k}`, run.tags);
  }

  #answer(entry: StoredEntry<T>): Cached<T> {
    return { value: entry.v, stale: Date.now() - entry.at >= this.#staleAfter };
  }

  /** Runs the loader, bounded by the hard timeout, and stores its value unless an invalidation overtook it. */
  #load(k: string, load: () => Promise<T>, scope: Scope<T> | undefined): Run<T> {
    const { tier, name, spec } = this.p;
    const seq = tier.beginLoad();
    const promise = (async (): Promise<StoredEntry<T>> => {
      try {
        const v = await capped(load, spec.hardTimeoutMs, name);
        if (v === undefined) throw new TypeError(`cache ${name}: a loader returned undefined (use null)`);
        const stored = freshEntry(v, tagsOf(typeof scope === 'function' ? scope(v) : scope), spec.ttlMs);
        // Invalidated while loading, the value may predate the change: its callers get it, the cache does not
        // (a session read just before its revocation is not put back).
        if (this.#current(seq, k, stored)) await this.store(k, stored);
        return stored;
      } finally {
        tier.endLoad();
      }
    })();
    const run = { seq, tags: typeof scope === 'function' ? null : tagsOf(scope), promise };
    this.#loads.set(k, run);
    const done = () => {
      if (this.#loads.get(k) === run) this.#loads.delete(k);
    };
    promise.then(done, done);
    return run;
  }
}

/** The promise's value, or TIMED_OUT if it has not settled within `ms` (a rejection within `ms` rejects). */
function within<V>(promise: Promise<V>, ms: number): Promise<V | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
