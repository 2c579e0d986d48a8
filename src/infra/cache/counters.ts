import type { Metrics } from '../metrics/metrics.js';
import { NAMESPACE_NAMES, type NamespaceName } from './namespaces.js';
import type { NamespaceStats } from './types.js';

/** One namespace's read counts: plain fields, so that counting costs nothing on the hot path. */
export class ReadCount {
  hits = 0;
  misses = 0;
  stale = 0;
  readonly flushed = { hits: 0, misses: 0, stale: 0 };
}

type Collectable = { collect?: (this: unknown) => unknown };
const flushersOf = new WeakMap<Metrics, Set<() => void>>();

/**
 * Per-namespace hit/miss/stale counts, pushed into the Prometheus counters (`kp_cache_hits_total{namespace}`…)
 * when they are scraped rather than on every read: prom-client's `inc(labels)` hashes its labels each call,
 * which costs more than the whole memory-tier hit it would count.
 */
export class CacheCounters {
  readonly #counts = Object.fromEntries(NAMESPACE_NAMES.map((n) => [n, new ReadCount()])) as Record<
    NamespaceName,
    ReadCount
  >;

  constructor(private readonly metrics: Metrics) {
    for (const namespace of NAMESPACE_NAMES) {
      // Every series exists from the start (0), so a hit rate can be computed before the first miss.
      metrics.cacheHits.inc({ namespace }, 0);
      metrics.cacheMisses.inc({ namespace }, 0);
      metrics.cacheStale.inc({ namespace }, 0);
    }
    let flushers = flushersOf.get(metrics);
    if (!flushers) {
      const all = new Set<() => void>();
      flushers = all;
      flushersOf.set(metrics, all);
      for (const counter of [metrics.cacheHits, metrics.cacheMisses, metrics.cacheStale]) {
        const c = counter as unknown as Collectable;
        const previous = c.collect;
        c.collect = function (this: unknown) {
          for (const flush of all) flush();
          return previous?.call(this);
        };
      }
    }
    flushers.add(this.flush);
  }

  of(namespace: NamespaceName): ReadCount {
    return this.#counts[namespace];
  }

  readonly flush = (): void => {
    for (const namespace of NAMESPACE_NAMES) {
      const c = this.#counts[namespace];
      const f = c.flushed;
      if (c.hits > f.hits) this.metrics.cacheHits.inc({ namespace }, c.hits - f.hits);
      if (c.misses > f.misses) this.metrics.cacheMisses.inc({ namespace }, c.misses - f.misses);
      if (c.stale > f.stale) this.metrics.cacheStale.inc({ namespace }, c.stale - f.stale);
      f.hits = c.hits;
      f.misses = c.misses;
      f.stale = c.stale;
    }
  };

  snapshot(): Record<NamespaceName, NamespaceStats> {
    this.flush();
    const out = {} as Record<NamespaceName, NamespaceStats>;
    for (const namespace of NAMESPACE_NAMES) {
      const { hits, misses, stale } = this.#counts[namespace];
      out[namespace] = { hits, misses, stale, hitRate: hits + misses === 0 ? 0 : hits / (hits + misses) };
    }
    return out;
  }

  detach(): void {
    this.flush();
    flushersOf.get(this.metrics)?.delete(this.flush);
  }
}
