import type { Deps } from '../../deps.js';
import type { CacheEntry } from '../../infra/cache/types.js';
import { dailyRows } from '../../infra/db/repos/usage.js';
import type { AnswerBytes } from '../answer-bytes.js';
import type { MetersService } from '../meters/index.js';
import { fromMicros } from '../money.js';
import { closeBody, openBody } from './body.js';
import type { FreshnessSource } from './freshness.js';
import { crsDay, timezoneLabel } from './range.js';

/**
 * `GET /api/me/summary`: today's and this month's spend (CRS days) and each key's limit meters, for status bars
 * polling with a personal access token. Cached like the other hot reads (decision 003 and 008): a warm read is a
 * memory hit closed with the freshness, synchronously.
 */
export function createMeSummary(deps: Deps, freshness: FreshnessSource, meters: MetersService, bytes: AnswerBytes) {
  const { db } = deps.database;

  async function load(userId: string): Promise<string> {
    const offset = deps.config.crs.timezoneOffset;
    const today = crsDay(deps.clock(), offset);
    const monthStart = `${today.slice(0, 8)}01`;
    const [rows, keys] = await Promise.all([
      dailyRows(db, userId, { from: monthStart, to: today }),
      meters.forUser(userId),
    ]);
    const sum = (pick: (day: string) => boolean) => {
      let requests = 0;
      let tokens = 0;
      let micros = 0;
      for (const r of rows) {
        if (!pick(r.day)) continue;
        requests += r.requests;
        tokens += r.tokens;
        micros += r.costMicros;
      }
      return { requests, tokens, cost: fromMicros(micros) };
    };
    return openBody({
      timezone: timezoneLabel(offset),
      today: sum((d) => d === today),
      month: sum(() => true),
      // By name, as a status bar lists them (the meters come newest first).
      keys: keys
        .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.keyId < y.keyId ? -1 : 1))
        .map((k) => ({ id: k.keyId, name: k.name, status: k.status, limitUsage: k.limitUsage })),
    });
  }

  const fromMemory = (entry: CacheEntry<string>): Buffer | undefined => {
    const f = freshness.current();
    if (!f) return undefined;
    const hit = entry.peek();
    return hit && bytes.closed(hit.value, f.asOf, f.stale || hit.stale, () => closeBody(hit.value, f, hit.stale));
  };

  return {
    summaryJson(userId: string): Buffer | Promise<string> {
      const entry = deps.cache.entries.meSummary(userId);
      return (
        fromMemory(entry) ??
        entry.getOrLoad(() => load(userId)).then(async (c) => closeBody(c.value, await freshness.get(), c.stale))
      );
    },
  };
}

export type MeSummaryService = ReturnType<typeof createMeSummary>;
