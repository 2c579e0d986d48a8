import type { CreateDriverResult, L1CacheDriver } from 'bentocache/types';
import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../../lib/deep-freeze.js';

/**
 * The memory tier (L1): one LRU shared by bentocache (through `MemoryDriver` below, registered with
 * `serialize: false`, so entries are objects, not JSON) and by the namespaces' synchronous hit path, which reads
 * it directly. It also keeps the local tag index (tag → L1 keys) that invalidation uses, and the invalidation
 * epochs that keep a load started before an invalidation from being cached after it.
 */

/** What we hand bentocache as the value: the loaded value, when it was loaded, and its tags. */
export interface Stored<T = unknown> {
  v: T;
  at: number;
  t?: string[];
}

/** bentocache's entry as it stores it in an L1 driver that does not serialise (see its CacheEntry.serialize). */
export interface RawEntry {
  value: Stored;
  logicalExpiration: number;
  createdAt: number;
}

/**
 * Deleting `_inv:tag|user:1` or `_inv:ns|stats` through bentocache applies that invalidation to the memory tier —
 * ours, and through the bus the other instances' (bentocache's bus relays deletes of any key).
 */
export const MARKER_PREFIX = '_inv:';

export interface MemoryTierOptions {
  maxItems?: number;
  maxBytes?: number;
}

export class MemoryTier {
  readonly lru: LRUCache<string, RawEntry>;
  readonly #tags = new Map<string, Set<string>>();
  readonly #epochs = new Map<string, number>();
  #seq = 0;
  #loading = 0;

  constructor(
    readonly prefix: string,
    opts: MemoryTierOptions = {},
  ) {
    this.lru = new LRUCache<string, RawEntry>({
      max: opts.maxItems ?? 50_000,
      maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: entrySize,
      // Every way out of the LRU (delete, eviction, expiry, overwrite) unlists the key from its tags.
      dispose: (entry, key) => this.#untag(key, entry.value?.t),
    });
  }

  /** The bentocache L1 driver over this tier. */
  driver(): CreateDriverResult<L1CacheDriver> {
    return { options: { serialize: false }, factory: () => new MemoryDriver(this, this.prefix) };
  }

  set(key: string, entry: RawEntry, ttl?: number): void {
    deepFreeze(entry.value);
    this.lru.set(key, entry, { ttl: ttl && ttl > 0 && Number.isFinite(ttl) ? ttl : undefined });
    const tags = entry.value?.t;
    if (tags && this.lru.has(key)) {
      for (const tag of tags) {
        const keys = this.#tags.get(tag);
        if (keys) keys.add(key);
        else this.#tags.set(tag, new Set([key]));
      }
    }
  }

  /**
   * Applies an invalidation marker to this process's memory (from our own call, the Redis bus or the PostgreSQL
   * channel): `tag|user:1`, `ns|stats`, `key|<namespace>:<key>` (one entry), `all|` (everything: messages may
   * have been missed).
   */
  applyMarker(marker: string): void {
    const sep = marker.indexOf('|');
    const kind = marker.slice(0, sep);
    const arg = marker.slice(sep + 1);
    if (kind === 'tag') {
      this.bump(arg);
      for (const key of [...(this.#tags.get(arg) ?? [])]) this.lru.delete(key);
    } else if (kind === 'ns') {
      this.bump(`ns:${arg}`);
      const start = `${this.prefix}:${arg}:`;
      for (const key of [...this.lru.keys()]) if (key.startsWith(start)) this.lru.delete(key);
    } else if (kind === 'key') {
      this.bump(`k:${arg}`);
      this.lru.delete(`${this.prefix}:${arg}`);
    } else if (kind === 'all') {
      this.bump('all');
      this.lru.clear();
    }
  }

  /** Records that a tag, `ns:<name>` or `k:<key>` was invalidated now, for the loads already running. */
  bump(name: string): void {
    this.#seq++;
    // Only running loads read epochs.
    if (this.#loading > 0) this.#epochs.set(name, this.#seq);
  }

  /** Grows with every invalidation (never reset). */
  get seq(): number {
    return this.#seq;
  }

  beginLoad(): number {
    this.#loading++;
    return this.#seq;
  }

  endLoad(): void {
    // Epochs only matter to running loads: forget them when none is running, so the map stays small.
    if (--this.#loading === 0) this.#epochs.clear();
  }

  /** True when the namespace, the key or one of the tags was invalidated after `seq` (taken by beginLoad). */
  invalidatedSince(seq: number, namespace: string, key: string, tags: readonly string[] | undefined): boolean {
    if (this.#epochs.size === 0) return false;
    if ((this.#epochs.get(`ns:${namespace}`) ?? 0) > seq || (this.#epochs.get(`k:${key}`) ?? 0) > seq) return true;
    if ((this.#epochs.get('all') ?? 0) > seq) return true;
    return !!tags?.some((tag) => (this.#epochs.get(tag) ?? 0) > seq);
  }

  #untag(key: string, tags: readonly string[] | undefined): void {
    if (!tags) return;
    for (const tag of tags) {
      const keys = this.#tags.get(tag);
      if (keys?.delete(key) && keys.size === 0) this.#tags.delete(tag);
    }
  }
}

/**
 * bentocache's view of the tier. (bentocache namespaces are not used: a namespaced stack re-enables L1
 * serialisation — bentocache 1.6 rebuilds its options from the un-patched ones — so our namespaces are key
 * prefixes of the one root stack instead.)
 */
class MemoryDriver implements L1CacheDriver {
  readonly type = 'l1' as const;

  constructor(
    private readonly tier: MemoryTier,
    readonly prefix: string,
  ) {}

  namespace(namespace: string): MemoryDriver {
    return new MemoryDriver(this.tier, `${this.prefix}:${namespace}`);
  }

  #key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  // The L1CacheDriver interface says string: with `serialize: false` bentocache stores its entry objects.
  get(key: string): string | undefined {
    return this.tier.lru.get(this.#key(key)) as unknown as string | undefined;
  }

  pull(key: string): string | undefined {
    const value = this.get(key);
    this.delete(key);
    return value;
  }

  set(key: string, value: string | RawEntry, ttl?: number): boolean {
    // bentocache copies L2 hits (and graced L2 values) into L1 still serialised by its JSON serialiser, even
    // with `serialize: false`: parse them here so that the tier only ever holds entry objects.
    const entry = typeof value === 'string' ? (JSON.parse(value) as RawEntry) : value;
    this.tier.set(this.#key(key), entry, ttl);
    return true;
  }

  getRemainingTtl(key: string): number | undefined {
    return this.tier.lru.getRemainingTTL(this.#key(key));
  }

  clear(): void {
    const start = `${this.prefix}:`;
    for (const key of [...this.tier.lru.keys()]) if (key.startsWith(start)) this.tier.lru.delete(key);
  }

  delete(key: string): boolean {
    if (key.startsWith(MARKER_PREFIX)) {
      this.tier.applyMarker(key.slice(MARKER_PREFIX.length));
      return true;
    }
    // An explicit delete (ours or another instance's, via the bus): a load of the key already running must not
    // put the deleted value back (e.g. a session read just before its revocation).
    this.tier.bump(`k:${key}`);
    return this.tier.lru.delete(this.#key(key));
  }

  deleteMany(keys: string[]): boolean {
    for (const key of keys) this.delete(key);
    return true;
  }

  async disconnect(): Promise<void> {}
}

function entrySize(entry: RawEntry): number {
  const v = entry.value?.v;
  if (typeof v === 'string') return 128 + v.length;
  return 128 + (v === undefined || v === null ? 0 : (JSON.stringify(v)?.length ?? 0));
}
