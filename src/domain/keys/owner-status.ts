import type { Deps } from '../../deps.js';
import type { Db } from '../../infra/db/client.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { markSuspended, type SuspendedKey, suspendedKeys, updateKeyAtRev } from '../../infra/db/repos/key-writes.js';
import type { KeyRow } from '../../infra/db/repos/keys.js';
import { guardedWrite } from './guarded-write.js';

/**
 * A portal user's keys follow the user (docs/decisions/011): disabling the user disables their active keys in
 * CRS, re-enabling restores exactly those. The intent (`suspended` on each key) commits with the user's status;
 * the CRS writes follow, a few at a time; whatever fails is finished by the sync (`settleSuspended`).
 */

const CONCURRENCY = 4;

/** Inside the admin's transaction, with the user's new status. */
export async function recordOwnerStatus(
  tx: Db,
  userId: string,
  status: 'active' | 'disabled',
  actorId: string,
  ip?: string,
): Promise<void> {
  if (status !== 'disabled') return;
  const keys = await markSuspended(tx, userId);
  await insertAudit(tx, {
    actorUserId: actorId,
    action: 'user.disable',
    targetType: 'user',
    targetId: userId,
    details: { suspendedKeys: keys },
    ip,
  });
}

/** After the transaction: brings CRS in line with the owner's status for each suspended key. */
export async function applyOwnerStatus(deps: Deps, userId: string, actorId: string | null): Promise<void> {
  await settle(deps, await suspendedKeys(deps.database.db, { userId }), actorId);
}

/**
 * The sync's repair: suspended keys whose owner is active are resumed; those of a disabled owner that CRS still
 * has active are disabled again. `ids` are the keys the sync found needing it.
 */
export async function settleSuspended(deps: Deps, ids: string[]): Promise<number> {
  return settle(deps, await suspendedKeys(deps.database.db, { ids }), null);
}

async function settle(deps: Deps, keys: SuspendedKey[], actorId: string | null) {
  const queue = [...keys];
  let done = 0;
  const worker = async () => {
    for (let k = queue.shift(); k; k = queue.shift()) {
      try {
        if (await settleOne(deps, k.row, k.ownerStatus === 'active', actorId)) done++;
      } catch (err) {
        deps.logger.warn(
          { err: (err as Error).message, keyId: k.row.id },
          'suspended key not brought in line with its owner yet; the sync retries',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done;
}

async function settleOne(deps: Deps, row: KeyRow, ownerActive: boolean, actorId: string | null): Promise<boolean> {
  const { db } = deps.database;
  // A suspended key the operator holds disabled is not re-enabled: it only stops being suspended.
  if (ownerActive && row.operatorLocks?.disabled) return Boolean(await updateKeyAtRev(db, row, { suspended: false }));
  const active = ownerActive;
  const updated = await guardedWrite(
    deps,
    row,
    { status: active ? 'active' : 'disabled' },
    [
      {
        run: () => deps.crs.updateKey(row.crsKeyId, { isActive: active }),
        undo: () => deps.crs.updateKey(row.crsKeyId, { isActive: !active }),
      },
    ],
    active ? { status: 'active', suspended: false } : { status: 'disabled' },
  );
  await insertAudit(db, {
    actorUserId: actorId,
    action: active ? 'key.resume' : 'key.suspend',
    targetType: 'key',
    targetId: updated.id,
    details: { name: updated.name },
  });
  await deps.cache.invalidateUser(row.userId);
  return true;
}
