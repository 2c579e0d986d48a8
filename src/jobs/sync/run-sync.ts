import type { Deps } from '../../deps.js';
import { PORTAL_TAG } from '../../domain/keys/crs-fields.js';
import type { CrsTrendEntry } from '../../infra/crs/types.js';
import { dailyRows, type KeyPlan, type ListedKey, listedKey, planKeys } from './plan.js';
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
 * of batched writes. The three are asked for at once (CRS needs minutes for the bulk ones at 100,000 keys),
 * each reduced as it arrives; the trend is read only once the plan is ready, and streams into the transaction
 * batch by batch (docs/decisions/009), so memory stays flat whatever the size of CRS's answers. A CRS failure
 * at any point rolls the transaction back: the previous data stays intact.
 */
export async function runSync(deps: Deps, full: boolean): Promise<SyncOutcome> {
  const { db } = deps.database;
  const now = deps.clock();
  // Read our keys before asking CRS, so a key created meanwhile is not mistaken for one deleted in CRS.
  const rows = await loadPortalKeys(db);
  const listedP = deps.crs.listAllKeys(PORTAL_TAG, listedKey);
  const usageP = deps.crs.usageStats();
  const writer = deferred<(entries: CrsTrendEntry[]) => Promise<void>>();
  // Until the writer exists the reader waits, and CRS's answer waits unread in the socket (backpressure).
  // A retried attempt hands its entries over again: the upsert leaves rows it already wrote unchanged.
  const trendP = deps.crs.keysUsageTrend(full ? 31 : 2, async (entries) => (await writer.promise)(entries));
  trendP.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled

  let plan: KeyPlan;
  let listed: ListedKey[];
  try {
    const [l, usage] = await Promise.all([listedP, usageP]);
    listed = l;
    plan = planKeys(rows, new Map(l.map((k) => [k.id, k])), new Map(usage.map((u) => [u.keyId, u])), now);
  } catch (err) {
    writer.reject(err);
    await trendP.catch(() => {});
    throw err;
  }
  let dailyRowsWritten = 0;
  const changedUsers = await db
    .transaction(async (tx) => {
      const users = new Set<string>();
      writer.resolve(async (entries) => {
        const daily = dailyRows(entries, plan.refs);
        dailyRowsWritten += daily.length;
        for (const u of await writeDaily(tx, daily)) users.add(u);
      });
      await trendP;
      // Key rows last, so that their row locks (which a user's own key write would wait on) are held only for
      // the end of the transaction, not while CRS streams the trend.
      await writeKeyUpdates(tx, plan.keyUpdates, now);
      return users;
    })
    .catch(async (err: unknown) => {
      writer.reject(err); // the database failed before the trend was read: let its reader go
      await trendP.catch(() => {});
      throw err;
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

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a rejection is seen through the reader that awaits it
  return { promise, resolve, reject };
}
