import type { Deps } from '../../deps.js';
import { AppError } from '../../domain/errors.js';
import { opusWeekStart } from '../../domain/meters/crs-time.js';
import { toMicros } from '../../domain/money.js';
import { crsDay } from '../../domain/usage/range.js';
import { inBatches } from '../../infra/crs/pool.js';
import type { CrsKeyLimitFigures } from '../../infra/crs/types.js';
import {
  type DueKey,
  dueForLimits,
  type LimitFiguresWrite,
  markLimitsRead,
  metersReset,
  writeLimitFigures,
} from '../../infra/db/repos/key-reads.js';
import { readSetting, writeSetting } from '../../infra/db/repos/settings.js';
import type { StepOutcome } from './step-outcome.js';

type Read = { key: DueKey; figures?: CrsKeyLimitFigures; error?: unknown };

/** Calls in flight at once: CRS answers its per-key stats in ~4 ms each (docs/crs.md §8). */
const CONCURRENCY = 4;

/**
 * The figures only CRS counts — the rate window and the weekly Opus cost (docs/decisions/024) — read from CRS's
 * per-key stats for keys that have such a limit and are due: never read, used since the last read (CRS's own
 * last-use time), or changed since. At most `syncKeyReads.limits` keys per cycle, the most recently used first.
 * Keys CRS refuses (disabled or expired meanwhile, deleted) are marked read, to wait for their next use.
 */
export async function readLimitFigures(deps: Deps): Promise<StepOutcome> {
  const { db } = deps.database;
  const now = deps.clock();
  const reset = await resetSince(deps, now);
  const budget = deps.config.syncKeyReads.limits;
  const due = budget > 0 ? await dueForLimits(db, now, budget) : [];
  if (due.length === 0) return { changedUsers: reset, crsCalls: 0 };
  const results = await inBatches(due, CONCURRENCY, async (key): Promise<Read> => {
    try {
      return { key, figures: await deps.crs.keyLimitFigures(key.crsKeyId) };
    } catch (e) {
      return { key, error: e };
    }
  });
  const writes: LimitFiguresWrite[] = [];
  const refused: DueKey[] = [];
  let failed = 0;
  for (const r of results) {
    if (r.figures) writes.push(toWrite(r.key, r.figures, now, deps.config.crs.timezoneOffset));
    else if (isRefusal(r.error)) refused.push(r.key);
    else failed++;
  }
  await writeLimitFigures(db, writes);
  await markLimitsRead(db, refused, now);
  if (failed) deps.logger.warn({ failed, keys: due.length }, 'sync: some limit figures not read; retried next cycle');
  for (const w of writes) reset.add(w.userId);
  return { changedUsers: reset, crsCalls: due.length };
}

/** When the meters' resets were last looked for (portal_settings, shared by every instance). */
export const METERS_CHECKED = 'sync.meters.checkedAt';

/** Users whose meters reset since the last cycle (a day, a week, a window, an expiry): their views are redone. */
async function resetSince(deps: Deps, now: Date): Promise<Set<string>> {
  const { db } = deps.database;
  const stored = await readSetting(db, METERS_CHECKED);
  const prev = stored ? new Date(stored) : undefined;
  const offset = deps.config.crs.timezoneOffset;
  const users =
    prev && prev < now ? await metersReset(db, prev, now, offset, crsDay(prev, offset) !== crsDay(now, offset)) : [];
  await writeSetting(db, METERS_CHECKED, now.toISOString(), now);
  return new Set(users);
}

/** CRS answered, and said no (unknown, deleted, disabled or expired key): asking again before a use is pointless. */
const isRefusal = (e: unknown) => e instanceof AppError && e.code === 'not_found';

/** The week a weekly figure belongs to is stamped here, so the meters can tell it from the next week's. */
function toWrite(key: DueKey, f: CrsKeyLimitFigures, now: Date, offsetHours: number): LimitFiguresWrite {
  return {
    apiKeyId: key.id,
    userId: key.userId,
    readAt: now,
    seenUsedAt: key.lastUsedAt,
    windowStart: f.windowStart ? new Date(f.windowStart) : null,
    windowEnd: f.windowEnd ? new Date(f.windowEnd) : null,
    windowRequests: f.windowRequests,
    windowTokens: f.windowTokens,
    windowCostMicros: toMicros(f.windowCost),
    opusCostMicros: toMicros(f.weeklyOpusCost),
    opusWeekStart: opusWeekStart(now, f.weeklyResetDay, f.weeklyResetHour, offsetHours),
    weeklyResetDay: f.weeklyResetDay,
    weeklyResetHour: f.weeklyResetHour,
  };
}
