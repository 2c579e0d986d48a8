import { blockedModels, markerOf, ownerOf } from '../../domain/keys/crs-fields.js';
import { limitsOf } from '../../domain/keys/limits.js';
import type { KeyLimits, KeyStatus } from '../../domain/keys/types.js';
import { toMicros } from '../../domain/money.js';
import type { CrsKey, CrsKeyUsage, CrsTrendEntry } from '../../infra/crs/types.js';
import type { SyncKeyRow } from '../../infra/db/repos/sync-reads.js';
import type { DailyUpsert, SplitWeights } from '../../infra/db/repos/sync-writes.js';

/**
 * The pure part of a sync: from what CRS says now and what the portal has, decide which key rows and which
 * daily rows change. No I/O here, so the rules (status mapping, token split attribution) are unit-testable.
 */

/** A key row as the sync judges it: as read, every CRS limit present (0 where the row lacks one). */
export interface PortalKeyState extends Omit<SyncKeyRow, 'limits'> {
  limits: KeyLimits;
}

export const portalKeyState = (row: SyncKeyRow): PortalKeyState => ({ ...row, limits: limitsOf(row.limits) });

/** The new usage of a key row (the sync-owned totals; state is judged apart, judge.ts). */
export type KeyUpdate = Pick<
  PortalKeyState,
  | 'id'
  | 'userId'
  | 'lastUsedAt'
  | 'totalRequests'
  | 'totalTokens'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheCreateTokens'
  | 'cacheReadTokens'
  | 'totalCostMicros'
>;

/**
 * What the sync keeps of each key CRS lists (a whole CrsKey is ~1 KB; 100,000 of them would be 100 MB): the
 * fields CRS is the truth for, and who and what made it.
 */
export interface ListedKey {
  id: string;
  name: string;
  isActive: boolean;
  isDeleted: boolean;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  limits: KeyLimits;
  /** Blocked models (docs/decisions/004). */
  models: string[];
  /** The portal user named by the key's `portal-user:<id>` tag. */
  owner: string | undefined;
  /** The create marker in its description (docs/decisions/010). */
  marker: string | undefined;
  /** Kept only for keys without a marker: an operator's key is adopted with it. */
  description?: string;
}

export function listedKey(k: CrsKey): ListedKey {
  const marker = markerOf(k.description);
  const out: ListedKey = {
    id: k.id,
    name: k.name,
    isActive: k.isActive,
    isDeleted: k.isDeleted,
    expiresAt: k.expiresAt,
    lastUsedAt: k.lastUsedAt,
    createdAt: k.createdAt,
    limits: limitsOf({
      tokenLimit: k.tokenLimit,
      dailyCostLimit: k.dailyCostLimit,
      totalCostLimit: k.totalCostLimit,
      rateLimitWindow: k.rateLimitWindow,
      rateLimitRequests: k.rateLimitRequests,
      rateLimitCost: k.rateLimitCost,
      concurrencyLimit: k.concurrencyLimit,
      weeklyOpusCostLimit: k.weeklyOpusCostLimit,
    }),
    models: blockedModels(k),
    owner: ownerOf(k.tags),
    marker,
  };
  if (!marker) out.description = k.description;
  return out;
}

/** A portal key as the trend's entries need it: its row and how its new tokens split. */
export interface KeyRef {
  id: string;
  userId: string;
  weights: SplitWeights;
}

export interface KeyPlan {
  keyUpdates: KeyUpdate[];
  /** Portal keys by CRS id, for dailyRows. */
  refs: Map<string, KeyRef>;
}

/** A live CRS key's status in portal terms; CRS's own expiry is `expired`, never an operator's disable. */
export function crsStatus(key: Pick<ListedKey, 'expiresAt' | 'isActive'>, now: Date): Exclude<KeyStatus, 'deleted'> {
  const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime();
  if (expired) return 'expired';
  return key.isActive ? 'active' : 'disabled';
}

/**
 * The split of the tokens a key used since the last sync: the difference of CRS's lifetime split. When that is
 * unusable (first sync, counters reset, no change), the key's lifetime ratio stands in.
 */
export function splitWeights(before: PortalKeyState, now: CrsKeyUsage | undefined): SplitWeights {
  if (!now) return [1, 0, 0, 0];
  const t = now.total;
  const delta = [
    t.inputTokens - before.inputTokens,
    t.outputTokens - before.outputTokens,
    t.cacheCreateTokens - before.cacheCreateTokens,
    t.cacheReadTokens - before.cacheReadTokens,
  ];
  const use =
    delta.every((d) => d >= 0) && delta.some((d) => d > 0)
      ? delta
      : [t.inputTokens, t.outputTokens, t.cacheCreateTokens, t.cacheReadTokens];
  const sum = use[0] + use[1] + use[2] + use[3];
  return sum > 0 ? [use[0] / sum, use[1] / sum, use[2] / sum, use[3] / sum] : [1, 0, 0, 0];
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Which key rows' usage changes: last use from the key list, totals from usage-stats. */
export function planKeys(
  rows: PortalKeyState[],
  listed: Map<string, ListedKey>,
  usage: Map<string, CrsKeyUsage>,
): KeyPlan {
  const keyUpdates: KeyUpdate[] = [];
  const refs = new Map<string, KeyRef>();
  for (const row of rows) {
    const key = listed.get(row.crsKeyId);
    const u = usage.get(row.crsKeyId);
    refs.set(row.crsKeyId, { id: row.id, userId: row.userId, weights: splitWeights(row, u) });
    const t = u?.total;
    const next: KeyUpdate = {
      id: row.id,
      userId: row.userId,
      lastUsedAt: key?.lastUsedAt ? new Date(key.lastUsedAt) : row.lastUsedAt,
      // A key missing from usage-stats (deleted) keeps its last known totals.
      totalRequests: t?.requests ?? row.totalRequests,
      totalTokens: t?.tokens ?? row.totalTokens,
      inputTokens: t?.inputTokens ?? row.inputTokens,
      outputTokens: t?.outputTokens ?? row.outputTokens,
      cacheCreateTokens: t?.cacheCreateTokens ?? row.cacheCreateTokens,
      cacheReadTokens: t?.cacheReadTokens ?? row.cacheReadTokens,
      totalCostMicros: t ? toMicros(t.cost) : row.totalCostMicros,
    };
    const changed =
      !row.synced ||
      !sameTime(row.lastUsedAt, next.lastUsedAt) ||
      next.totalRequests !== row.totalRequests ||
      next.totalTokens !== row.totalTokens ||
      next.inputTokens !== row.inputTokens ||
      next.outputTokens !== row.outputTokens ||
      next.cacheCreateTokens !== row.cacheCreateTokens ||
      next.cacheReadTokens !== row.cacheReadTokens ||
      next.totalCostMicros !== row.totalCostMicros;
    if (changed) keyUpdates.push(next);
  }
  return { keyUpdates, refs };
}

/** The daily rows of a batch of trend entries; entries of keys that are not the portal's are skipped. */
export function dailyRows(entries: CrsTrendEntry[], refs: Map<string, KeyRef>): DailyUpsert[] {
  const daily: DailyUpsert[] = [];
  for (const e of entries) {
    const ref = refs.get(e.keyId);
    if (!ref) continue;
    daily.push({
      apiKeyId: ref.id,
      userId: ref.userId,
      day: e.date,
      requests: e.requests,
      tokens: e.tokens,
      costMicros: toMicros(e.cost),
      weights: ref.weights,
    });
  }
  return daily;
}
