import { NO_LIMITS } from '../../src/domain/keys/limits.js';
import type { ListedKey, PortalKeyState } from '../../src/jobs/sync/plan.js';

/** A portal key row as the sync reads it, and a CRS list item of the same key (ids k1 / c1, owner u1). */
export const portalRow = (over: Partial<PortalKeyState> = {}): PortalKeyState => ({
  id: 'k1',
  userId: 'u1',
  crsKeyId: 'c1',
  status: 'active',
  name: 'k',
  limits: NO_LIMITS,
  models: [],
  expiresAt: null,
  lastUsedAt: null,
  totalRequests: 0,
  totalTokens: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreateTokens: 0,
  cacheReadTokens: 0,
  totalCostMicros: 0,
  synced: true,
  crsState: 'live',
  operatorLocks: null,
  pendingWrite: null,
  suspended: false,
  ownerActive: true,
  rev: 0,
  updatedAt: new Date('2026-11-01T00:00:00Z'),
  ...over,
});

export const listedCrsKey = (over: Partial<ListedKey> = {}): ListedKey => ({
  id: 'c1',
  name: 'k',
  isActive: true,
  isDeleted: false,
  expiresAt: null,
  lastUsedAt: null,
  createdAt: '2026-11-01T00:00:00Z',
  limits: NO_LIMITS,
  models: [],
  owner: undefined,
  marker: undefined,
  ...over,
});
