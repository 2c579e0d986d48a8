import type { KeyLimits, KeyStatus } from '../../infra/db/schema.js';

export type { KeyLimits, KeyStatus };

/** The public view of a key (api.md `Key`): never the CRS key UUID, never the secret. */
export interface KeyView {
  id: string;
  name: string;
  description: string;
  status: KeyStatus;
  maskedKey: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  limits: KeyLimits;
  models: string[];
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
