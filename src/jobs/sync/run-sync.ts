import type { Deps } from '../../deps.js';
import { checkCrsTimezone } from '../../domain/admin/crs-timezone.js';
import { PORTAL_TAG } from '../../domain/keys/crs-fields.js';
import type { CrsTrendEntry } from '../../infra/crs/types.js';
import { type AuditEntry, insertAudits } from '../../infra/db/repos/audit.js';
import { insertAdopted, writeDaily, writeKeyStates, writeKeyUpdates } from '../../infra/db/repos/sync-writes.js';
import { type CrsVerdict, judge, type StateUpdate } from './judge.js';
import { crsStatus, dailyRows, type KeyPlan, type ListedKey, listedKey, planKeys } from './plan.js';
import { resolveMissing } from './resolve.js';
import { loadPortalKeys } from './rows.js';
import type { SettleWork } from './settle.js';
import { classifyUnlisted } from './unlisted.js';

export interface SyncOutcome {
  full: boolean;
  keys: number;
  keysUpdated: number;
  dailyRowsWritten: number;
  changedUsers: Set<string>;
  crsCalls: number;
  /** What the cycle leaves to `settle` (after its transaction, outside it). */
  settle: SettleWork;
}

/**
 * One sync cycle (docs/architecture.md §4): three kinds of CRS call whatever the number of users
 * — the key list pages, usage-stats and the per-key trend (2 days, or 31 on a full run) — and one transaction
 * of batched writes. The three are asked for at once (CRS needs minutes for the bulk ones at 100,000 keys),
 * each reduced as it arrives; the trend is read only once the plan is ready, and streams into the transaction
 * batch by batch (docs/decisions/009), so memory stays flat whatever the size of CRS's answers. A CRS failure
 * at any point rolls the transaction back: the previous data stays intact.
 * Keys are tracked by CRS id (docs/decisions/011): CRS's state of each is judged and copied; the few the tag
 * list misses are looked up by id; the listed keys without a row are revived, adopted or left to `settle`.
 */
export async function runSync(deps: Deps, full: boolean): Promise<SyncOutcome> {
  const { db } = deps.database;
  const now = deps.clock();
  // Read our keys before asking CRS, so a key created meanwhile is not mistaken for one deleted in CRS, and
  // a write of ours that lands meanwhile bumps the `rev` this cycle's judgement is conditional on.
  const rows = await loadPortalKeys(db);
  const listedP = deps.crs.listAllKeys(PORTAL_TAG, listedKey);
  const usageP = deps.crs.usageStats();
  const timezoneP = checkCrsTimezone(deps).catch((err: Error) => {
    deps.logger.debug({ err: err.message }, 'sync: CRS timezone not checked this cycle');
  });
  const writer = deferred<(entries: CrsTrendEntry[]) => Promise<void>>();
  // Until the writer exists the reader waits, and CRS's answer waits unread in the socket (backpressure).
  // A retried attempt hands its entries over again: the upsert leaves rows it already wrote unchanged.
  const trendP = deps.crs.keysUsageTrend(full ? 31 : 2, async (entries) => (await writer.promise)(entries));
  trendP.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled

  let plan: KeyPlan;
  let states: StateUpdate[];
  let adopt: ListedKey[];
  let settle: SettleWork;
  let extraCalls = 0;
  let listedCount = 0;
  const audits: Array<{ action: string; details: Record<string, unknown>; targetId: string | null }> = [];
  try {
    const [l, usageList] = await Promise.all([listedP, usageP]);
    listedCount = l.length;
    const listed = new Map(l.map((k) => [k.id, k]));
    const usage = new Map(usageList.map((u) => [u.keyId, u]));
    const resolved = await resolveMissing(deps, rows, listed, usage, now);
    extraCalls = resolved.crsCalls;
    audits.push(...resolved.audits);
    for (const k of resolved.found) listed.set(k.id, k);
    const unlisted = await classifyUnlisted(db, listed.values(), new Set(rows.map((r) => r.crsKeyId)), now);
    plan = planKeys(rows, listed, usage);
    states = [...unlisted.revived];
    for (const row of rows) {
      const removed = resolved.removed.get(row.crsKeyId);
      const verdict: CrsVerdict | undefined = removed ? { removed } : listed.get(row.crsKeyId);
      const state = judge(row, verdict, now);
      if (state) states.push(state);
    }
    adopt = unlisted.adopt;
    const suspended = rows.filter((r) => {
      const k = listed.get(r.crsKeyId);
      return r.suspended && k && (r.ownerActive || k.isActive);
    });
    settle = { marked: unlisted.marked, suspended: suspended.map((r) => r.id) };
  } catch (err) {
    writer.reject(err);
    await trendP.catch(() => {});
    throw err;
  }
  let dailyRowsWritten = 0;
  const changedUsers = await deps.database
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
      for (const s of await writeKeyStates(tx, states, now)) {
        users.add(s.userId);
        for (const a of s.audits) audits.push({ ...a, targetId: s.id });
      }
      for (const a of await insertAdopted(
        tx,
        adopt.map((k) => adopted(k, now)),
        now,
      )) {
        users.add(a.userId);
        audits.push({ action: 'key.adopt', targetId: a.id, details: { name: a.name } });
      }
      await insertAudits(tx, audits.map(systemAudit));
      return users;
    })
    .catch(async (err: unknown) => {
      writer.reject(err); // the database failed before the trend was read: let its reader go
      await trendP.catch(() => {});
      throw err;
    });
  await timezoneP;
  for (const u of plan.keyUpdates) changedUsers.add(u.userId);
  return {
    full,
    keys: rows.length,
    keysUpdated: plan.keyUpdates.length + states.length,
    dailyRowsWritten,
    changedUsers,
    crsCalls: 2 + Math.max(1, Math.ceil(listedCount / 100)) + extraCalls,
    settle,
  };
}

/** An operator's key for one of our users, as the portal adopts it (`origin: operator`, docs/decisions/010). */
const adopted = (k: ListedKey, now: Date) => ({
  userId: k.owner!,
  crsKeyId: k.id,
  name: k.name,
  description: k.description ?? '',
  status: crsStatus(k, now),
  limits: k.limits,
  models: k.models,
  expiresAt: k.expiresAt,
  createdAt: k.createdAt,
});

/** What the sync did to a key, in the audit log: no actor (the system). */
const systemAudit = (a: { action: string; details: Record<string, unknown>; targetId: string | null }): AuditEntry => ({
  actorUserId: null,
  action: a.action,
  targetType: 'key',
  targetId: a.targetId,
  details: a.details,
});

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
