import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../../lib/deep-freeze.js';

/**
 * The memory tier (L1): one LRU of this process, read directly by the namespaces' synchronous hit path
 * (docs/decisions/008-warm-reads-without-promises.md). It also keeps the local tag index (tag → keys) that
 * invalidation uses, and the invalidation epochs that keep a load started before an invalidation from being
 * cached after it.
 */

/** One cached value: the value, when it was loaded, its tags, and until when it is fresh. */
export interface StoredEntry<T = unknown> {
  v: T;
  /** When the value was loaded (ms): how old it is, whichever tier it came through. */
  at: number;
  t?: string[];
  /** Fresh until then (ms); past it the entry is only the grace period's fallback, until it is dropped. */
  exp: number;
}

/** A value loaded or set now, fresh for `ttlMs`. */
export function freshEntry<T>(v: T, tags: string[] | undefined, ttlMs: number): StoredEntry<T> {
  const now = Date.now();
  return tags ? { v, at: now, t: tags, exp: now + ttlMs } : { v, at: now, exp: now + ttlMs };
}

export interface MemoryTierOptions {
  maxItems?: number;
  maxBytes?: number;
}

export class MemoryTier {
  readonly lru: LRUCache<string, StoredEntry>;
  readonly #tags = new Map<string, Set<string>>();
  readonly #epochs = new Map<string, number>();
  #seq = 0;
  #loading = 0;

  constructor(
    readonly prefix: string,
    opts: MemoryTierOptions = {},
  ) {
    this.lru = new LRUCache<string, StoredEntry>({
      max: opts.maxItems ?? 50_000,
      maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: entrySize,
      // Every way out of the LRU (delete, eviction, expiry, overwrite) unlists the key from its tags.
      dispose: (entry, key) => this.#untag(key, entry.t),
    });
  }

  /** Keeps the entry for `keepMs` (its TTL, or its grace period when it has one); the value is frozen, shared. */
  set(key: string, entry: StoredEntry, keepMs: number): void {
    deepFreeze(entry.v);
    this.lru.set(key, entry, { ttl: keepMs });
    const tags = entry.t;
    if (tags && this.lru.has(key)) {
      for (const tag of tags) {
        const keys = this.#tags.get(tag);
        if (keys) keys.add(key);
        else this.#tags.set(tag, new Set([key]));
      }
    }
  }

  /** Another instance wrote a newer value: ours is no longer fresh, but stays as a fallback for its grace period. */
  expire(key: string): void {
    const entry = this.lru.peek(key);
    if (entry) entry.exp = Math.min(entry.exp, Date.now() - 1);
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

  /** Records that a tag, `ns:<name>` or `k:<namespace>:<key>` was invalidated now, for the loads already running. */
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

function entrySize(entry: StoredEntry): number {
  const v = entry.v;
  if (typeof v === 'string') return 128 + v.length;
  return 128 + (v === undefined || v === null ? 0 : (JSON.stringify(v)?.length ?? 0));
}
