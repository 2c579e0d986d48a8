import { parseCreate } from './key-input.js';
import type { KeyRecord } from './key-record.js';
import { KeyStore } from './key-store.js';
import { SONNET } from './pricing.js';
import { iso, type Tz } from './time.js';
import type { RecordedCost } from './usage-store.js';
import { UsageStore } from './usage-store.js';

export interface UsageInput {
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheCreateTokens?: number;
  cacheReadTokens?: number;
  /** Epoch ms, Date or ISO string; default now. */
  timestamp?: number | Date | string;
}

export interface SeedHistoryOptions {
  days: number;
  requestsPerDay: number;
  seed?: number;
}

/** Body fields of POST /admin/api-keys (docs/crs.md §4.3). */
export type CreateKeyInput = Record<string, unknown> & { name: string };

/**
 * The emulator's state: keys and usage. Tests and the benchmark use it directly (createKey, recordUsage,
 * seedHistory); the HTTP routes use the same methods, so both views agree.
 */
export class EmulatorStore {
  readonly keys: KeyStore;
  readonly usage: UsageStore;

  constructor(
    readonly tz: Tz,
    readonly now: () => number,
  ) {
    this.keys = new KeyStore(now);
    this.usage = new UsageStore(tz, now);
  }

  /**
   * Creates a key as POST /admin/api-keys would (same validation); throws on invalid input. `id` and
   * `createdAt` let tests rebuild a captured state.
   */
  createKey(
    input: CreateKeyInput,
    opts: { createdAt?: number; id?: string; secret?: string } = {},
  ): { id: string; apiKey: string } {
    const parsed = parseCreate(input);
    if ('error' in parsed) throw new Error(parsed.error);
    const { key, apiKey } = this.keys.create(parsed.changes, opts);
    return { id: key.id, apiKey };
  }

  getKey(id: string): KeyRecord | undefined {
    return this.keys.get(id);
  }

  /** Records one request for a key (any state, like CRS's recorder) and stamps lastUsedAt. */
  recordUsage(keyId: string, input: UsageInput): RecordedCost {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`unknown key ${keyId}`);
    const ts = input.timestamp === undefined ? this.now() : new Date(input.timestamp).getTime();
    const res = this.usage.record(
      keyId,
      {
        ts,
        model: input.model ?? SONNET,
        inputTokens: input.inputTokens ?? 0,
        outputTokens: input.outputTokens ?? 0,
        cacheCreateTokens: input.cacheCreateTokens ?? 0,
        cacheReadTokens: input.cacheReadTokens ?? 0,
      },
      key,
    );
    this.touch(key, ts);
    return res;
  }

  /**
   * Deterministic past usage: `days` CRS-local days up to now, ~requestsPerDay each, written through the same
   * buckets as recordUsage (aggregated per day) and respecting retention. Same (seed, days, rate, clock) →
   * same numbers.
   */
  seedHistory(keyId: string, opts: SeedHistoryOptions): void {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`unknown key ${keyId}`);
    const spec = {
      days: opts.days,
      requestsPerDay: opts.requestsPerDay,
      seed: opts.seed ?? hashSeed(keyId),
      anchor: this.now(),
    };
    const last = this.usage.seed(keyId, spec, key);
    if (last) this.touch(key, last);
    this.usage.keys.get(keyId)?.shrink();
  }

  /** First use of an activation-mode key starts its expiry clock (CRS does this in the relay validator). */
  activateIfNeeded(key: KeyRecord, now: number): void {
    if (key.expirationMode !== 'activation' || key.isActivated) return;
    const unitMs = key.activationUnit === 'hours' ? 3_600_000 : 86_400_000;
    key.isActivated = true;
    key.activatedAt = iso(now);
    key.expiresAt = iso(now + key.activationDays * unitMs);
    this.keys.sink?.saved(key);
  }

  /**
   * What a relay request does to a key once it is authenticated: activation, usage, rate-limit window. The
   * traffic generator goes through here too, so its usage is indistinguishable from relayed requests.
   */
  relayUse(key: KeyRecord, input: UsageInput): RecordedCost {
    const now = this.now();
    this.activateIfNeeded(key, now);
    const res = this.recordUsage(key.id, { ...input, timestamp: now });
    if (key.rateLimitWindow > 0) {
      const u = this.usage.of(key.id);
      const len = key.rateLimitWindow * 60_000;
      if (!u.window || now >= u.window.start + len) u.window = { start: now, requests: 0, tokens: 0, cost: 0 };
      u.window.requests++;
      u.window.tokens +=
        (input.inputTokens ?? 0) +
        (input.outputTokens ?? 0) +
        (input.cacheCreateTokens ?? 0) +
        (input.cacheReadTokens ?? 0);
      u.window.cost += res.cost;
    }
    return res;
  }

  /**
   * Why the key's current rate window refuses another request, if it does. The window's limits count only when
   * the key has a window (docs/crs.md, quirk 16: a token limit without one lets every request through).
   */
  windowRefusal(key: KeyRecord): string | undefined {
    if (key.rateLimitWindow <= 0) return undefined;
    const w = this.usage.keys.get(key.id)?.window;
    if (!w || this.now() >= w.start + key.rateLimitWindow * 60_000) return undefined;
    if (key.rateLimitRequests > 0 && w.requests >= key.rateLimitRequests) return 'request';
    if (key.tokenLimit > 0 && w.tokens >= key.tokenLimit) return 'token';
    if (key.rateLimitCost > 0 && w.cost >= key.rateLimitCost) return 'cost';
    return undefined;
  }

  /** Keys the traffic generator may use: what the relay would accept right now. */
  usableKeys(): KeyRecord[] {
    const now = this.now();
    const out: KeyRecord[] = [];
    for (const k of this.keys.keys.values()) {
      if (k.isDeleted || !k.isActive) continue;
      if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) continue;
      if (this.windowRefusal(k)) continue;
      out.push(k);
    }
    return out;
  }

  private touch(key: KeyRecord, ts: number): void {
    if (!key.lastUsedAt || new Date(key.lastUsedAt).getTime() < ts) key.lastUsedAt = iso(ts);
    this.keys.sink?.used(key, ts);
  }

  keyCount(): number {
    return this.keys.keys.size;
  }
}

function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
