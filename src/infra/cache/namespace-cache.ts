import type { CacheProvider, GetOptions, GetSetFactoryContext } from 'bentocache/types';
import type { ReadCount } from './counters.js';
import { joinKey } from './keys.js';
import { capped, type Scope, tagsOf, unwrap } from './loader.js';
import type { MemoryTier, Stored } from './memory-tier.js';
import type { NamespaceName, NamespaceSpec } from './namespaces.js';
import type { RedisInvalidation } from './redis-tags.js';
import type { Cached, EntryScope, NamespaceCache } from './types.js';

/** After a failed load served from grace, how long the last good value is served before the next attempt. */
const GRACE_BACKOFF_MS = 10_000;

export interface NamespaceParts {
  name: NamespaceName;
  spec: NamespaceSpec;
  /** bentocache's root cache: our keys there are `<name>:<key>`. */
  bento: CacheProvider;
  tier: MemoryTier;
  count: ReadCount;
  redisTags?: RedisInvalidation;
  /** Whether another instance's invalidations reach this process now (spec.incoherentTtlMs). */
  coherent: () => boolean;
  /** Tells the other instances through the database's channel (the Redis bus is bentocache's own). */
  tell?: (marker: string) => Promise<void>;
}

/**
 * One namespace. A fresh memory-tier entry is answered synchronously from the LRU (no bentocache call: its
 * getOrSet builds an options object, an async chain and an event per hit); everything else — misses, expired
 * entries, L2, single-flight, grace, soft timeouts — goes through bentocache.
 *
 * Stale means old, never slow: bentocache only returns a value, so the value carries its load time
 * (`Stored.at`), and an answer is `stale` when that is older than the namespace's `staleAfterMs` — whether it was
 * served because the loader failed or because it passed the soft timeout. Reads answered from the grace period
 * are counted as stale reads (`kp_cache_stale_total`) either way.
 */
export class PortalNamespace<T> implements NamespaceCache<T> {
  readonly #l1Prefix: string;
  readonly #redisPrefix: string;
  readonly #keyPrefix: string;
  readonly #ttl: number;
  readonly #staleAfter: number;
  readonly #incoherentTtl: number;
  readonly #options: { ttl: number; grace: number | false; timeout?: number; graceBackoff: number };
  readonly #getOptions: GetOptions<Stored<T>> & { ttl: number };
  readonly #inflight = new Map<string, { seq: number; promise: Promise<Cached<T>> }>();

  constructor(private readonly p: NamespaceParts) {
    this.#l1Prefix = `${p.tier.prefix}:${p.name}:`;
    this.#redisPrefix = this.#l1Prefix;
    this.#keyPrefix = `${p.name}:`;
    this.#ttl = p.spec.ttlMs;
    this.#staleAfter = p.spec.staleAfterMs ?? Number.POSITIVE_INFINITY;
    this.#incoherentTtl = p.spec.incoherentTtlMs ?? Number.POSITIVE_INFINITY;
    this.#options = {
      ttl: p.spec.ttlMs,
      grace: p.spec.graceMs > 0 ? p.spec.graceMs : false,
      timeout: p.spec.graceMs > 0 ? p.spec.softTimeoutMs : undefined,
      graceBackoff: GRACE_BACKOFF_MS,
    };
    this.#getOptions = { key: '', ttl: p.spec.ttlMs, grace: false };
  }

  get name(): NamespaceName {
    return this.p.name;
  }

  getOrLoad(key: readonly string[], load: () => Promise<T>, scope?: Scope<T>): Promise<Cached<T>> {
    let k: string;
    try {
      k = joinKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const hit = this.#memoryHit(k);
    return hit ? Promise.resolve(hit) : this.#shared(k, load, scope);
  }

  peek(key: readonly string[]): Cached<T> | undefined {
    return this.#memoryHit(joinKey(key));
  }

  /** A logically valid memory-tier entry, counted; undefined otherwise (nothing counted). */
  #memoryHit(k: string): Cached<T> | undefined {
    const now = Date.now();
    const stored = this.#trusted(k, now);
    if (stored === undefined) return undefined;
    if (now - stored.at >= this.#ttl) this.p.count.stale++;
    else this.p.count.hits++;
    return { value: stored.v, stale: now - stored.at >= this.#staleAfter };
  }

  /**
   * The memory tier's logically valid entry, unless it may have been invalidated unbeknown to us (no path for
   * other instances' invalidations is connected and it is older than `incoherentTtlMs`): then it is dropped,
   * so that bentocache reads it again instead of answering from memory.
   */
  #trusted(k: string, now: number): Stored<T> | undefined {
    const entry = this.p.tier.lru.get(this.#l1Prefix + k);
    if (entry === undefined || entry.logicalExpiration <= now) return undefined;
    const stored = entry.value as Stored<T>;
    if (now - stored.at > this.#incoherentTtl && !this.p.coherent()) {
      this.p.tier.lru.delete(this.#l1Prefix + k);
      return undefined;
    }
    return stored;
  }

  /**
   * Single-flight in front of bentocache's: concurrent callers of one key share the first one's outcome, its
   * error included. (Behind bentocache's lock alone, each waiter of a failing key would run the loader in turn:
   * 500 requests for a key whose database is down would make 500 attempts, one after the other.) A caller that
   * arrives after an invalidation does not join a load that started before it.
   */
  #shared(k: string, load: () => Promise<T>, scope: Scope<T> | undefined): Promise<Cached<T>> {
    const running = this.#inflight.get(k);
    if (running && running.seq === this.p.tier.seq) {
      return running.promise.then(
        (r) => {
          if (r.stale) this.p.count.stale++;
          else this.p.count.hits++;
          return { value: r.value, stale: r.stale };
        },
        (err: unknown) => {
          this.p.count.misses++;
          throw err;
        },
      );
    }
    const seq = this.p.tier.seq;
    const promise = this.#load(k, load, scope);
    const flight = { seq, promise };
    this.#inflight.set(k, flight);
    const done = () => {
      if (this.#inflight.get(k) === flight) this.#inflight.delete(k);
    };
    promise.then(done, done);
    return promise;
  }

  #bentoKey(k: string): string {
    return this.#keyPrefix + k;
  }

  async #load(k: string, load: () => Promise<T>, scope: Scope<T> | undefined): Promise<Cached<T>> {
    const { tier, count, redisTags, name, spec } = this.p;
    let ran = false;
    let produced: Stored<T> | undefined;
    const factory = async (ctx: GetSetFactoryContext): Promise<Stored<T>> => {
      ran = true;
      const seq = tier.beginLoad();
      try {
        const v = await capped(load, spec.hardTimeoutMs, name);
        if (v === undefined) throw new TypeError(`cache ${name}: a loader returned undefined (use null)`);
        const tags = tagsOf(typeof scope === 'function' ? scope(v) : scope);
        const stored: Stored<T> = tags ? { v, at: Date.now(), t: tags } : { v, at: Date.now() };
        if (tier.invalidatedSince(seq, name, this.#bentoKey(k), tags)) {
          // Invalidated while loading: the value may predate the change. Answer the waiting callers with it,
          // but do not keep it (expired at once, never written to Redis).
          ctx.setOptions({ ttl: 1, skipL2Write: true });
        } else if (tags) {
          redisTags?.register(this.#redisPrefix + k, tags);
        }
        produced = stored;
        return stored;
      } finally {
        tier.endLoad();
      }
    };
    try {
      const stored = await this.p.bento.getOrSet<Stored<T>>({ key: this.#bentoKey(k), factory, ...this.#options });
      if (stored === produced) {
        count.misses++;
        return { value: stored.v, stale: false };
      }
      const age = Date.now() - stored.at;
      // Served from the grace period (the loader failed or was slow): a stale read for the metrics, but the
      // answer is `stale` only if the value is old.
      if (ran || age >= this.#ttl) count.stale++;
      else count.hits++;
      return { value: stored.v, stale: age >= this.#staleAfter };
    } catch (err) {
      count.misses++;
      throw unwrap(err, name, spec.hardTimeoutMs);
    }
  }

  async get(key: readonly string[]): Promise<T | undefined> {
    const k = joinKey(key);
    let stored = this.#trusted(k, Date.now());
    stored ??= await this.p.bento.get<Stored<T>>({ ...this.#getOptions, key: this.#bentoKey(k) });
    if (stored !== undefined && stored !== null && Date.now() - stored.at < this.#ttl) {
      this.p.count.hits++;
      return stored.v;
    }
    this.p.count.misses++;
    return undefined;
  }

  async set(key: readonly string[], value: T, scope?: EntryScope): Promise<void> {
    if (value === undefined) throw new TypeError(`cache ${this.p.name}: cannot set undefined (use null)`);
    const k = joinKey(key);
    const tags = tagsOf(scope);
    const stored: Stored<T> = tags ? { v: value, at: Date.now(), t: tags } : { v: value, at: Date.now() };
    // A load of this key already running must not overwrite the newer value when it finishes.
    this.p.tier.bump(`k:${this.#bentoKey(k)}`);
    if (tags) this.p.redisTags?.register(this.#redisPrefix + k, tags);
    await this.p.bento.set({ key: this.#bentoKey(k), value: stored, ...this.#options });
    await this.p.tell?.(`key|${this.#bentoKey(k)}`);
  }

  async delete(key: readonly string[]): Promise<void> {
    const bentoKey = this.#bentoKey(joinKey(key));
    await this.p.bento.delete({ key: bentoKey });
    await this.p.tell?.(`key|${bentoKey}`);
  }
}
