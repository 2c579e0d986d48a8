import type { LimitUsage } from '../meters/types.js';
import type { UsageFigures } from '../usage/figures.js';

export type KeyStatus = 'active' | 'disabled' | 'expired' | 'deleted';

export interface KeyLimits {
  tokenLimit: number;
  dailyCostLimit: number;
  totalCostLimit: number;
  rateLimitWindow: number;
  rateLimitRequests: number;
  rateLimitCost: number;
  concurrencyLimit: number;
  weeklyOpusCostLimit: number;
}

export type LimitField = keyof KeyLimits;

/** Where a key's CRS twin is: `live`, soft-deleted in CRS (`deleted`), or nowhere any more (`gone`). */
export type CrsState = 'live' | 'deleted' | 'gone';

/**
 * What an operator's tightening in CRS holds until an admin releases it (docs/decisions/011): the key stays
 * disabled, a limit's value is its ceiling, a blocked model stays blocked. `since`: when the first lock was taken.
 */
export interface OperatorLocks {
  disabled?: true;
  limits?: Partial<KeyLimits>;
  models?: string[];
  since: string;
}

/**
 * A CRS write of the portal's in flight (docs/decisions/011): the values about to be sent, so that the sync
 * neither judges the row meanwhile nor, once `deadline` has passed, mistakes what landed for an operator's change.
 */
export interface PendingWrite {
  id: string;
  deadline: string;
  fields: {
    name?: string;
    status?: 'active' | 'disabled';
    expiresAt?: string | null;
    limits?: Partial<KeyLimits>;
    models?: string[];
    deleted?: true;
  };
}

/** What the operator holds on a key (api `Key.operator`): the owner cannot loosen these until an admin releases. */
export interface OperatorHold {
  disabled: boolean;
  /** Ceilings: the owner may go lower (for `rateLimitWindow`: longer), never higher or unlimited. */
  limits: Partial<KeyLimits>;
  /** Models the operator blocked; the owner cannot unblock them. */
  models: string[];
  since: string;
}

/** The public view of a key (docs/api.md `Key`): never the CRS key UUID, never the secret. */
export interface KeyView {
  id: string;
  name: string;
  /** The portal's own: CRS cannot change a description after creation. */
  description: string;
  status: KeyStatus;
  maskedKey: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  limits: KeyLimits;
  models: string[];
  /** `operator`: made by the operator in CRS for this user and adopted; its secret was never seen by the portal. */
  origin: 'portal' | 'operator';
  operator: OperatorHold | null;
  /** Where the CRS key is: `deleted` (soft-deleted, restorable in CRS) or `gone` tell a deleted key's fate. */
  crsState: CrsState;
  /** Lifetime figures; `asOf`: when the sync last wrote them, null before the first sync saw the key. */
  usage: UsageFigures & { asOf: string | null };
  /** Every limit the key has, how much of it is used and when it resets (docs/product.md §2.4). */
  limitUsage: LimitUsage[];
}

export interface CreateKeyInput {
  name: string;
  description?: string;
  expiresAt?: string | null;
  limits?: Partial<KeyLimits>;
  models?: string[];
}

export interface UpdateKeyInput {
  name?: string;
  description?: string;
  expiresAt?: string | null;
  limits?: Partial<KeyLimits>;
  models?: string[];
  status?: 'active' | 'disabled';
}

export interface ListKeysQuery {
  page: number;
  pageSize: number;
  status?: KeyStatus | 'all';
  search?: string;
  sort: 'createdAt' | 'lastUsedAt' | 'tokens' | 'cost';
  order: 'asc' | 'desc';
}

/** Who acts, for ownership checks and the audit log. */
export interface Actor {
  userId: string;
  ip?: string;
}
