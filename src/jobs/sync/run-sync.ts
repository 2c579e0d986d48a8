import type { Deps } from '../../deps.js';
import { checkCrsTimezone } from '../../domain/admin/crs-timezone.js';
import type { Session } from '../../infra/db/client.js';
import { insertAudits } from '../../infra/db/repos/audit.js';
import { markedKeys, missingKeys, suspendedOutOfStep } from '../../infra/db/repos/sync-staged-reads.js';
import { analyzeStaging, closeStaging, openStaging } from '../../infra/db/repos/sync-staging.js';
import {
  adoptStaged,
  keySlices,
  trendSlices,
  writeDailySlice,
  writeTotalsSlice,
} from '../../infra/db/repos/sync-usage-writes.js';
import { judgeStaged, systemAudit } from './judge-staged.js';
import { resolveMissing, SEARCHES_PER_CYCLE } from './resolve.js';
import { MAX_DELETES, type SettleWork } from './settle.js';
import { Staging } from './stage.js';

export interface SyncOutcome {
  full: boolean;
  keys: number;
  keysUpdated: number;
  dailyRowsWritten: number;
  changedUsers: Set<string>;
  crsCalls: number;
  /** Whether usage-stats was read this cycle (else the totals grew by the trend's increments). */
  totalsRead: boolean;
  /** The next cycle must read usage-stats: a key came back or was adopted, or CRS counted a day lower. */
  totalsDue: boolean;
  /** What the cycle leaves to `settle` (after its transaction, outside it). */
  settle: SettleWork;
  /**
   * Wall time of its phases, ms: CRS's answers into staging, the missing keys resolved, then the transaction's
   * daily rows, key totals, and judged states with adopted keys.
   */
  phases: { reads: number; resolve: number; daily: number; totals: number; judge: number };
}

/**
 * One sync cycle (docs/architecture.md §4, docs/decisions/031). CRS's answers — the `portal` key list (pages read
 * in parallel), the per-key trend (2 days, or 31 on a full run) and, when `readTotals`, usage-stats — stream into
 * staging tables of the sync's own connection as they arrive; PostgreSQL computes statuses, token splits and what
 * changed from there, and one transaction writes it: daily rows, key totals, the judged key states (the few rows
 * that differ, judged in pages by judge.ts), adopted keys. The process holds a batch, never a row per key. A CRS
 * failure at any point leaves the data as it was.
 * Without usage-stats, each key's totals grow by what its daily rows grew (the trend covers every day since the
 * last cycle); a cycle that finds a portal key missing from the list reads usage-stats after all, to tell a live
 * key from a deleted one as before (docs/decisions/011).
 */
export async function runSync(
  deps: Deps,
  session: Session,
  o: { full: boolean; readTotals: boolean },
): Promise<SyncOutcome> {
  const { db } = session;
  const now = deps.clock();
  const t0 = performance.now();
  try {
    const keys = await openStaging(db);
    const staging = new Staging(deps, db, now);
    // Not awaited: CRS's dashboard may take longer than the whole cycle at scale; the alert evaluation shares it.
    void checkCrsTimezone(deps).catch((err: Error) => {
      deps.logger.debug({ err: err.message }, 'sync: CRS timezone not checked this cycle');
    });
    let totalsRead = o.readTotals;
    let crsCalls = 1 + (totalsRead ? 1 : 0);
    await staging.all([staging.keys(), totalsRead ? staging.usage() : undefined, staging.trend(o.full ? 31 : 2)]);
    crsCalls += staging.pages;
    await analyzeStaging(db);

    let missing = await missingKeys(db, now, SEARCHES_PER_CYCLE);
    if (missing.count > 0 && !totalsRead) {
      // Telling a live key from a deleted one takes usage-stats: read it now (docs/decisions/011).
      await staging.all([staging.usage()]);
      totalsRead = true;
      crsCalls++;
      await analyzeStaging(db);
      missing = await missingKeys(db, now, SEARCHES_PER_CYCLE);
    }
    const t1 = performance.now();
    const resolved = await resolveMissing(deps, db, now, missing);
    crsCalls += resolved.crsCalls;
    const marked = await markedKeys(db);
    const suspended = await suspendedOutOfStep(db, MAX_DELETES);
    const t2 = performance.now();

    const out = await session.transaction(async (tx) => {
      const users = new Set<string>();
      const add = (ids: string[]) => {
        for (const id of ids) users.add(id);
      };
      let daily = 0;
      let decreased = false;
      for (const [from, to] of await trendSlices(tx)) {
        const w = await writeDailySlice(tx, { anchored: totalsRead, from, to });
        add(w.users);
        daily += w.rows;
        decreased ||= w.decreased;
      }
      // Key rows last, so that their row locks (which a user's own key write would wait on) are held only for
      // the end of the transaction.
      const t3 = performance.now();
      let totals = 0;
      for (const slice of await keySlices(tx)) {
        const w = await writeTotalsSlice(tx, { anchored: totalsRead, slice, now });
        add(w.users);
        totals += w.rows;
      }
      const t4 = performance.now();
      await insertAudits(tx, resolved.audits.map(systemAudit));
      const judged = await judgeStaged(tx, { now, removedKnown: resolved.removedKnown });
      add(judged.users);
      const adopted = await adoptStaged(tx, now);
      add(adopted.users);
      const ms = (from: number, to: number) => Math.round(to - from);
      const times = { daily: ms(t2, t3), totals: ms(t3, t4), judge: ms(t4, performance.now()) };
      return { users, daily, totals, judged, adopted, decreased, times };
    });
    return {
      full: o.full,
      keys,
      keysUpdated: out.totals + out.judged.states,
      dailyRowsWritten: out.daily,
      changedUsers: out.users,
      crsCalls,
      totalsRead,
      totalsDue: out.decreased || out.judged.revived > 0 || out.adopted.rows > 0,
      settle: {
        marked: marked.map((k) => ({ id: k.crsKeyId, name: k.name, owner: k.owner ?? undefined, marker: k.marker })),
        suspended,
      },
      phases: { reads: Math.round(t1 - t0), resolve: Math.round(t2 - t1), ...out.times },
    };
  } finally {
    // On a connection that failed this fails too, and the tables went with the connection.
    await closeStaging(db).catch(() => {});
  }
}
