import type { Deps } from '../../deps.js';
import type { CrsUsageRecord } from '../../infra/crs/types.js';
import { findOwnedKey } from '../../infra/db/repos/keys.js';
import { notFound } from '../errors.js';
import { addDays, daysBetween, type RangeQuery, resolveRange } from './range.js';
import { type RequestLogQuery, requestPage } from './request-log.js';

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

    /**
     * The request log: every record CRS keeps of the key (its last 200, docs/crs.md quirk 11), fetched in one call
     * and cached like before, then filtered and paged here — so paging and filters add no CRS call. Newest first.
     */
    async requestsJson(userId: string, keyId: string, q: RequestLogQuery = {}): Promise<string> {
      const crsId = await crsIdOf(userId, keyId);
      const { value, stale } = await deps.cache.entries
        .keyRequests({ userId, keyId })
        .getOrLoad(async () => ({ data: await deps.crs.keyUsageRecords(crsId, { pageSize: 200 }), fetchedAt: now() }));
      return JSON.stringify({ ...requestPage(value.data as CrsUsageRecord[], q), asOf: value.fetchedAt, stale });
    },
  };
}
