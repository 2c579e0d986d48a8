import type { Deps } from '../../deps.js';
import { toMicros } from '../../domain/money.js';
import { addDays, crsDay } from '../../domain/usage/range.js';
import { inBatches } from '../../infra/crs/pool.js';
import { type DueKey, dueForModels, markModelsRead } from '../../infra/db/repos/key-reads.js';
import { exactSplitFromModels, replaceModelDay } from '../../infra/db/repos/usage-models.js';
import { noChange, type StepOutcome } from './step-outcome.js';

const CONCURRENCY = 4;
/** Keys whose models were read this long ago may have days a later trend completed: their split is checked again. */
const RECHECK_MS = 10 * 60_000;

/**
 * Per-model figures of the keys used since their last model read (docs/decisions/025): CRS's per-key model stats,
 * one call per key and CRS day, for today and yesterday only (a key used before yesterday and never read has no
 * day left to read). At most `syncKeyReads.models` calls per cycle, the most recently used keys first. Then every
 * day whose model rows add up to its daily row takes their exact token split.
 */
export async function readModels(deps: Deps): Promise<StepOutcome> {
  const budget = deps.config.syncKeyReads.models;
  if (budget <= 0) return noChange();
  const { db } = deps.database;
  const now = deps.clock();
  const offset = deps.config.crs.timezoneOffset;
  const today = crsDay(now, offset);
  const yesterday = addDays(today, -1);
  const due = await dueForModels(db, new Date(Date.parse(`${yesterday}T00:00:00Z`) - offset * 3_600_000), budget);
  // Each key's days to read, within the budget of calls (a key whose days do not fit waits for the next cycle).
  const work: Array<{ key: DueKey; days: string[] }> = [];
  let calls = 0;
  for (const key of due) {
    const days = daysToRead(key, yesterday, today, offset);
    if (calls + days.length > budget) break;
    calls += days.length;
    work.push({ key, days });
  }
  const changedUsers = new Set<string>();
  const read: DueKey[] = [];
  await inBatches(work, CONCURRENCY, async ({ key, days }) => {
    try {
      for (const day of days) {
        const stats = await deps.crs.keyModelStats(key.crsKeyId, { period: 'custom', startDate: day, endDate: day });
        const rows = stats.map((m) => ({
          apiKeyId: key.id,
          day,
          model: m.model,
          requests: m.requests,
          tokens: m.tokens,
          inputTokens: m.inputTokens,
          outputTokens: m.outputTokens,
          cacheCreateTokens: m.cacheCreateTokens,
          cacheReadTokens: m.cacheReadTokens,
          costMicros: toMicros(m.cost),
        }));
        await replaceModelDay(db, key.userId, key.id, day, rows);
      }
      read.push(key);
      changedUsers.add(key.userId);
    } catch (e) {
      deps.logger.warn({ keyId: key.id, err: (e as Error).message }, 'sync: models not read; retried next cycle');
    }
  });
  await markModelsRead(db, read, now);
  for (const u of await exactSplitFromModels(db, yesterday, new Date(now.getTime() - RECHECK_MS))) changedUsers.add(u);
  return { changedUsers, crsCalls: calls };
}

/**
 * The CRS days a key may have new usage on: from the day of its last read use (or yesterday, never before) to the
 * day of its latest use.
 */
function daysToRead(key: DueKey, yesterday: string, today: string, offset: number): string[] {
  const last = key.lastUsedAt ? crsDay(key.lastUsedAt, offset) : today;
  const first = key.seenUsedAt ? crsDay(key.seenUsedAt, offset) : yesterday;
  const days: string[] = [];
  for (let d = first < yesterday ? yesterday : first; d <= last && d <= today; d = addDays(d, 1)) days.push(d);
  return days;
}
