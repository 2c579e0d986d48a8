import type { Deps } from '../../deps.js';
import { findOwnedKey } from '../../infra/db/repos/keys.js';
import { notFound } from '../errors.js';
import { addDays, daysBetween, type RangeQuery, resolveRange } from './range.js';

/**
 * Per-model breakdown and recent requests of one key: only CRS has them, so they come from CRS through the
 * `crs:key-stats` namespace (single-flight, and the last good answer while CRS is down, marked stale).
 */
export function createKeyDetails(deps: Deps) {
  async function crsIdOf(userId: string, keyId: string) {
    const row = await findOwnedKey(deps.database.db, userId, keyId);
    if (!row) throw notFound('Key');
    return row.crsKeyId;
  }
  const now = () => deps.clock().toISOString();

  return {
    async modelsJson(userId: string, keyId: string, q: RangeQuery): Promise<string> {
      const range = resolveRange(q, deps.clock(), deps.config.crs.timezoneOffset);
      const crsId = await crsIdOf(userId, keyId);
      // CRS accepts custom ranges of at most 365 days; ours may be 366.
      const startDate = daysBetween(range.from, range.to) > 365 ? addDays(range.to, -364) : range.from;
      const entry = deps.cache.entries.keyModels({ userId, keyId, range });
      const { value, stale } = await entry.getOrLoad(async () => ({
        data: await deps.crs.keyModelStats(crsId, { period: 'custom', startDate, endDate: range.to }),
        fetchedAt: now(),
      }));
      return JSON.stringify({ range, items: value.data, asOf: value.fetchedAt, stale });
    },

    async requestsJson(userId: string, keyId: string): Promise<string> {
      const crsId = await crsIdOf(userId, keyId);
      const { value, stale } = await deps.cache.entries
        .keyRequests({ userId, keyId })
        .getOrLoad(async () => ({ data: await deps.crs.keyUsageRecords(crsId, { pageSize: 100 }), fetchedAt: now() }));
      return JSON.stringify({ items: value.data, asOf: value.fetchedAt, stale });
    },
  };
}
