import type { Deps } from '../../deps.js';
import { PORTAL_TAG } from '../../domain/keys/crs-fields.js';
import { planSync } from './plan.js';
import { loadPortalKeys, writeDaily, writeKeyUpdates } from './write.js';

export interface SyncOutcome {
  full: boolean;
  keys: number;
  keysUpdated: number;
  dailyRowsWritten: number;
  changedUsers: Set<string>;
  crsCalls: number;
  listedKeys: import('../../infra/crs/types.js').CrsKey[];
}

/**
 * One sync cycle (architecture.md "How usage data flows"): three kinds of CRS call whatever the number of users
 * — usage-stats, the per-key trend (2 days, or 31 on a full run) and the key list pages — then one transaction
 * of batched writes. A CRS failure throws before anything is written, so the previous data stays intact.
 */
export async function runSync(deps: Deps, full: boolean): Promise<SyncOutcome> {
  const { db } = deps.database;
  const now = deps.clock();
  // Read our keys before asking CRS, so a key created meanwhile is not mistaken for one deleted in CRS.
  const rows = await loadPortalKeys(db);
  const [usage, trend, listed] = await Promise.all([
    deps.crs.usageStats(),
    deps.crs.keysUsageTrend(full ? 31 : 2),
    deps.crs.listAllKeys(PORTAL_TAG),
  ]);
  const plan = planSync(
    rows,
    new Map(listed.map((k) => [k.id, k])),
    new Map(usage.map((u) => [u.keyId, u])),
    trend,
    now,
  );
  const prev = new Map(rows.map((r) => [r.id, r.status as string]));
  const changedUsers = await db.transaction(async (tx) => {
    await writeKeyUpdates(tx, plan.keyUpdates, prev, now);
    return writeDaily(tx, plan.daily);
  });
  for (const u of plan.keyUpdates) changedUsers.add(u.userId);
  return {
    full,
    keys: rows.length,
    keysUpdated: plan.keyUpdates.length,
    dailyRowsWritten: plan.daily.length,
    changedUsers,
    crsCalls: 2 + Math.max(1, Math.ceil(listed.length / 100)),
    listedKeys: listed,
  };
}
