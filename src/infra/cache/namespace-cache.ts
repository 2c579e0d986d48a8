import { joinKey } from './keys.js';
import { type Scope, tagsOf } from './loader.js';
import { freshEntry, type StoredEntry } from './memory-tier.js';
import { Misses, type NamespaceParts } from './misses.js';
import type { NamespaceName } from './namespaces.js';
import type { Cached, EntryScope, NamespaceCache } from './types.js';

/**
 * One namespace. A fresh memory-tier entry is answered synchronously from the LRU; everything else — Redis,
 * single-flight, grace, soft and hard timeouts — is `Misses`' (misses.ts). Keys are handled joined: `k` is
 * `entity:id:extra`, stored under `<prefix>:<namespace>:<k>` in memory and in Redis, and named
 * `<namespace>:<k>` in invalidation markers and bus messages.
 */
export class PortalNamespace<T> implements NamespaceCache<T> {
  readonly #full: string;
  readonly #ttl: number;
  readonly #staleAfter: number;
  readonly #incoherentTtl: number;
  readonly #misses: Misses<T>;
  readonly #inflight = new Map<string, { seq: number; promise: Promise<Cached<T>> }>();

  constructor(private readonly p: NamespaceParts) {
    this.#full = `${p.tier.prefix}:${p.name}:`;
    this.#ttl = p.spec.ttlMs;
    this.#staleAfter = p.spec.staleAfterMs ?? Number.POSITIVE_INFINITY;
    this.#incoherentTtl = p.spec.incoherentTtlMs ?? Number.POSITIVE_INFINITY;
    this.#misses = new Misses<T>(p);
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

  async get(key: readonly string[]): Promise<T | undefined> {
    const k = joinKey(key);
    const stored = this.#trusted(k, Date.now()) ?? (await this.#misses.fromRedis(k));
    if (stored !== undefined && Date.now() - stored.at < this.#ttl) {
      this.p.count.hits++;
      return stored.v;
    }
    this.p.count.misses++;
    return undefined;
  }

  async set(key: readonly string[], value: T, scope?: EntryScope): Promise<void> {
    if (value === undefined) throw new TypeError(`cache ${this.p.name}: cannot set undefined (use null)`);
    const k = joinKey(key);
    const stored = freshEntry(value, tagsOf(scope), this.#ttl);
    // A load of this key already running must not overwrite the newer value when it finishes.
    this.p.tier.bump(`k:${this.p.name}:${k}`);
    await this.#misses.store(k, stored);
    await this.p.tell?.(`key|${this.p.name}:${k}`);
  }

  async delete(key: readonly string[]): Promise<void> {
    const named = `${this.p.name}:${joinKey(key)}`;
    // Also keeps a load of this key already running from putting the deleted value back (e.g. a session read
    // just before its revocation).
    this.p.tier.applyMarker(`key|${named}`);
    await Promise.all([this.p.l2?.delete(`${this.p.tier.prefix}:${named}`), this.p.bus?.publish('delete', [named])]);
    // After Redis: an instance told through the database must not read the old value back from Redis.
    await this.p.tell?.(`key|${named}`);
  }

  /**
   * The memory tier's logically valid entry, unless it may have been invalidated unbeknown to us (no path for
   * other instances' invalidations is connected and it is older than `incoherentTtlMs`): then it is dropped,
   * so that it is read again.
   */
  #trusted(k: string, now: number): StoredEntry<T> | undefined {
    const entry = this.p.tier.lru.get(this.#full + k) as StoredEntry<T> | undefined;
    if (entry === undefined || entry.exp <= now) return undefined;
    if (now - entry.at > this.#incoherentTtl && !this.p.coherent()) {
      this.p.tier.lru.delete(this.#full + k);
      return undefined;
    }
    return entry;
  }

  /**
   * Single-flight: concurrent callers of one key share the first one's outcome, its error included (500
   * requests for a key whose database is down make one attempt, not 500). A caller that arrives after an
   * invalidation does not join a miss that started before it.
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
    const promise = this.#misses.miss(k, load, scope);
    const flight = { seq, promise };
    this.#inflight.set(k, flight);
    const done = () => {
      if (this.#inflight.get(k) === flight) this.#inflight.delete(k);
    };
    promise.then(done, done);
    return promise;
  }
}
