import type { Deps } from '../../deps.js';
import { PORTAL_TAG } from '../../domain/keys/crs-fields.js';
import { dailyRows, type ListedKey, listedKey, planKeys } from './plan.js';
import { loadPortalKeys, writeDaily, writeKeyUpdates } from './write.js';

export interface SyncOutcome {
  full: boolean;
  keys: number;
  keysUpdated: number;
  dailyRowsWritten: number;
  changedUsers: Set<string>;
  crsCalls: number;
  listedKeys: ListedKey[];
}

/**
 * One sync cycle (architecture.md "How usage data flows"): three kinds of CRS call whatever the number of users
 * — the key list pages, usage-stats and the per-key trend (2 days, or 31 on a full run) — and one transaction
 * of batched writes. The bulk answers are read one at a time and reduced as they arrive, and the trend streams
 * into the transaction batch by batch (docs/decisions/009), so memory stays flat at 100,000 keys. A CRS
 * failure at any point rolls the transaction back: the previous data stays intact.
 */
export async function runSync(deps: Deps, full: boolean): Promise<SyncOutcome> {
  const { db } = deps.database;
  const now = deps.clock();
  // Read our keys before asking CRS, so a key created meanwhile is not mistaken for one deleted in CRS.
  const rows = await loadPortalKeys(db);
  const listed = await deps.crs.listAllKeys(PORTAL_TAG, listedKey);
  const usage = new Map((await deps.crs.usageStats()).map((u) => [u.keyId, u]));
  const plan = planKeys(rows, new Map(listed.map((k) => [k.id, k])), usage, now);
  usage.clear();
  const prev = new Map(rows.map((r) => [r.id, r.status as string]));
  let dailyRowsWritten = 0;
  const changedUsers = await db.transaction(async (tx) => {
    const users = new Set<string>();
    // A retried attempt hands its entries over again: the upsert leaves rows it already wrote unchanged.
    await deps.crs.keysUsageTrend(full ? 31 : 2, async (entries) => {
      const daily = dailyRows(entries, plan.refs);
      dailyRowsWritten += daily.length;
      for (const u of await writeDaily(tx, daily)) users.add(u);
    });
    // Key rows last, so that their row locks (which a user's own key write would wait on) are held only for
    // the end of the transaction, not while CRS streams the trend.
    await writeKeyUpdates(tx, plan.keyUpdates, prev, now);
    return users;
  });
  for (const u of plan.keyUpdates) changedUsers.add(u.userId);
  return {
    full,
    keys: rows.length,
    keysUpdated: plan.keyUpdates.length,
    dailyRowsWritten,
    changedUsers,
    crsCalls: 2 + Math.max(1, Math.ceil(listed.length / 100)),
    listedKeys: listed,
  };
}
