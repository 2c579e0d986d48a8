import { blockedModels, markerOf, ownerOf } from '../../domain/keys/crs-fields.js';
import { limitsOf } from '../../domain/keys/limits.js';
import type { KeyLimits, KeyStatus } from '../../domain/keys/types.js';
import type { CrsKey } from '../../infra/crs/types.js';
import type { SyncKeyRow } from '../../infra/db/repos/sync-reads.js';
import type { ListedRow } from '../../infra/db/repos/sync-staged-reads.js';
import type { StagedKey } from '../../infra/db/repos/sync-staging.js';

/**
 * The pure part of a sync: what it keeps of a CRS key and how it reads CRS's status. The per-key arithmetic (totals,
 * token split, daily rows) is SQL over the staging tables (docs/decisions/031); the judgement is judge.ts.
 */

/** A key row as the sync judges it: as read, every CRS limit present (0 where the row lacks one). */
export interface PortalKeyState extends Omit<SyncKeyRow, 'limits'> {
  limits: KeyLimits;
}

export const portalKeyState = (row: SyncKeyRow): PortalKeyState => ({ ...row, limits: limitsOf(row.limits) });

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

/** A live CRS key's status in portal terms; CRS's own expiry is `expired`, never an operator's disable. */
export function crsStatus(key: Pick<ListedKey, 'expiresAt' | 'isActive'>, now: Date): Exclude<KeyStatus, 'deleted'> {
  const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime();
  if (expired) return 'expired';
  return key.isActive ? 'active' : 'disabled';
}

/** A list item as the staging table keeps it: what CRS said, and the instants and status the SQL compares. */
export function stagedKey(k: ListedKey, page: number, now: Date): StagedKey {
  return {
    crsKeyId: k.id,
    page,
    name: k.name,
    isActive: k.isActive,
    isDeleted: k.isDeleted,
    expiresAt: k.expiresAt,
    expiresTs: instant(k.expiresAt, 'expiresAt', k.id),
    lastUsedAt: k.lastUsedAt,
    lastUsedTs: instant(k.lastUsedAt, 'lastUsedAt', k.id),
    createdAt: k.createdAt,
    crsStatus: crsStatus(k, now),
    limits: k.limits,
    models: k.models,
    owner: k.owner ?? null,
    marker: k.marker ?? null,
    description: k.description ?? null,
  };
}

/** A staged list item back as the judgement reads it. */
export function listedOf(r: ListedRow): ListedKey {
  const out: ListedKey = {
    id: r.crsKeyId,
    name: r.name,
    isActive: r.isActive,
    isDeleted: r.isDeleted,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt,
    createdAt: r.createdAt,
    limits: r.limits,
    models: r.models,
    owner: r.owner ?? undefined,
    marker: r.marker ?? undefined,
  };
  if (r.description !== null) out.description = r.description;
  return out;
}

/** A timestamp CRS sent as an ISO instant; one no Date can read fails the cycle, as its judgement would. */
function instant(value: string | null, field: string, id: string): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`CRS key ${id}: ${field} ${JSON.stringify(value)} is not a date`);
  return new Date(ms).toISOString();
}
