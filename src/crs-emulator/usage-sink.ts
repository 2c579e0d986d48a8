import type { Counts } from './buckets.js';
import type { KeyRecord } from './key-record.js';
import type { UsageEvent } from './records.js';

/**
 * Where the emulator's writes go besides its own memory: the optional mirror of CRS's Redis layout
 * (crs-redis/). Called with what CRS's writers are called with (docs/crs.md §9.2): one group of day, month and
 * lifetime counters per (key, model, day) — once per request, or once per day and model when seeding — and one
 * group of hour and minute counters per request.
 */
export interface UsageSink {
  /** Lifetime, per-day and per-month counters and costs of `c` (one request, or a day's requests of one model). */
  buckets(keyId: string, model: string, ts: number, c: Counts, cost: number): void;
  /** Per-hour and per-minute counters and cost of one request. */
  hour(keyId: string, model: string, ts: number, c: Counts, cost: number): void;
  /** An opus request's cost in the key's week starting at `weekStartLocal` (CRS-local epoch ms). */
  opus(keyId: string, weekStartLocal: number, ts: number, cost: number): void;
  /** One request appended to the key's request log. */
  record(keyId: string, e: UsageEvent): void;
  /** The key's whole request log replaced (after seeding), newest first. */
  records(keyId: string, newestFirst: UsageEvent[], lastPush: number): void;
  /** Permanent delete: the key's own usage goes, global counters keep it. */
  drop(keyId: string): void;
}

/** What happens to `apikey:<id>` hashes and their indexes (docs/crs.md §9.1). */
export interface KeySink {
  /** Created or changed: the whole hash is written again. */
  saved(key: KeyRecord): void;
  /** A request stamped lastUsedAt at `ts`. */
  used(key: KeyRecord, ts: number): void;
  removed(key: KeyRecord): void;
}
