import type { SeedSpec } from './seed-events.js';
import { generateSeedEvents } from './seed-events.js';
import type { Tz } from './time.js';

/** One request as the usage-records log keeps it; its cost is recomputed from the tokens when rendered. */
export interface UsageEvent {
  ts: number;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
}

type Segment = { seed: SeedSpec; count: number } | { live: UsageEvent[] };

/** The emulator's one upstream account: CRS records which account served each request. */
export const ACCOUNT_ID = 'emulator-account-1';

/** A request record's token fields, as CRS stores and renders them (the emulator's cache writes are 5-minute). */
export function recordTokens(e: UsageEvent) {
  return {
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    cacheCreateTokens: e.cacheCreateTokens,
    cacheReadTokens: e.cacheReadTokens,
    ephemeral5mTokens: e.cacheCreateTokens,
    ephemeral1hTokens: 0,
    totalTokens: e.inputTokens + e.outputTokens + e.cacheCreateTokens + e.cacheReadTokens,
  };
}

export const RECORDS_MAX = 200;
export const RECORDS_TTL_MS = 90 * 86_400_000;

/**
 * The per-key request log (CRS: LPUSH + LTRIM 0..199, 90-day TTL). Seeded history is not stored event by
 * event: a seeded segment keeps its generator spec and is regenerated on read (a few hundred events, µs), so
 * 100,000 seeded keys do not hold 20 million records in memory. Live events (relay, traffic) are stored.
 */
export class RecordLog {
  segs: Segment[] = [];
  lastPush = 0;

  pushLive(e: UsageEvent): void {
    const last = this.segs[this.segs.length - 1];
    if (last && 'live' in last) last.live.push(e);
    else this.segs.push({ live: [e] });
    this.lastPush = Math.max(this.lastPush, e.ts);
    this.trim();
  }

  pushSeed(seed: SeedSpec, count: number, lastTs: number): void {
    if (count === 0) return;
    this.segs.push({ seed, count });
    this.lastPush = Math.max(this.lastPush, lastTs);
    this.trim();
  }

  /** Drops segments no longer reachable within the newest 200 entries. */
  private trim(): void {
    let sum = 0;
    for (let i = this.segs.length - 1; i >= 0; i--) {
      const s = this.segs[i];
      const n = 'live' in s ? s.live.length : s.count;
      if (sum + n >= RECORDS_MAX) {
        if ('live' in s) s.live.splice(0, n - (RECORDS_MAX - sum));
        this.segs.splice(0, i);
        return;
      }
      sum += n;
    }
  }

  /** Newest first, at most 200, empty once the list's TTL has run out. */
  latest(tz: Tz, now: number): UsageEvent[] {
    if (now - this.lastPush >= RECORDS_TTL_MS) return [];
    const out: UsageEvent[] = [];
    for (let i = this.segs.length - 1; i >= 0 && out.length < RECORDS_MAX; i--) {
      const s = this.segs[i];
      const events: UsageEvent[] = 'live' in s ? s.live : [];
      if ('seed' in s) generateSeedEvents(s.seed, tz, (e) => events.push({ ...e }));
      for (let j = events.length - 1; j >= 0 && out.length < RECORDS_MAX; j--) out.push(events[j]);
    }
    return out;
  }
}
