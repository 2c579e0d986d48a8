import type { CrsState, KeyLimits, KeyStatus, LimitField, OperatorLocks } from '../../infra/db/schema.js';

export type { CrsState, KeyLimits, KeyStatus, LimitField, OperatorLocks };

/** What the operator holds on a key (api `Key.operator`): the owner cannot loosen these until an admin releases. */
export interface OperatorHold {
  disabled: boolean;
  /** Ceilings: the owner may go lower (for `rateLimitWindow`: longer), never higher or unlimited. */
  limits: Partial<KeyLimits>;
  /** Models the operator blocked; the owner cannot unblock them. */
  models: string[];
  since: string;
}

/** The public view of a key (api.md `Key`): never the CRS key UUID, never the secret. */
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
  usage: {
    requests: number;
    tokens: number;
    inputTokens: number;
    outputTokens: number;
    cacheCreateTokens: number;
    cacheReadTokens: number;
    cost: number;
    /** When the sync last wrote these totals; null before the first sync saw the key. */
    asOf: string | null;
  };
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
