import type { Database } from '../../infra/db/client.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { countPendingCreates, insertPendingCreate, markCreateDone } from '../../infra/db/repos/key-creates.js';
import { countLiveKeys, insertKey, type KeyRow, type NewKey } from '../../infra/db/repos/keys.js';
import { lockUser } from '../../infra/db/repos/users.js';
import { AppError } from '../errors.js';

/**
 * The two short transactions of a key create (docs/decisions/010), before and after the CRS call: no transaction
 * or pool connection is held across it.
 */

/**
 * Reserves a marker against the quota: the owner's row is locked (concurrent creates of one user queue here, so
 * the quota check cannot race), live keys plus creates still in flight are counted, the pending create recorded.
 */
export async function reserveCreate(
  database: Database,
  c: { marker: string; userId: string; name: string; now: Date; deadline: Date; defaultMaxKeys: number },
): Promise<void> {
  await database.transaction(async (tx) => {
    const owner = await lockUser(tx, c.userId, 'update');
    if (owner?.status !== 'active') throw new AppError('unauthorized', 'Sign in to continue');
    const [live, inFlight] = await Promise.all([countLiveKeys(tx, c.userId), countPendingCreates(tx, c.userId, c.now)]);
    const maxKeys = owner.maxKeys ?? c.defaultMaxKeys;
    if (live + inFlight >= maxKeys) {
      throw new AppError('conflict', `Key quota reached: you can have at most ${maxKeys} keys`, { maxKeys });
    }
    await insertPendingCreate(tx, c);
  });
}

/**
 * The create is done only if it is still pending (the sync may have settled it meanwhile) and its owner still
 * active; then the key row and its audit entry. Undefined when the create may not be delivered.
 */
export async function completeCreate(
  database: Database,
  marker: string,
  key: NewKey,
  details: Record<string, unknown>,
  ip: string | undefined,
): Promise<KeyRow | undefined> {
  return database.transaction(async (tx) => {
    // A share lock: an admin disabling the owner right now waits, or has already suspended the owner's keys.
    const owner = await lockUser(tx, key.userId, 'share');
    if (owner?.status !== 'active') return undefined;
    if (!(await markCreateDone(tx, marker, key.crsKeyId))) return undefined;
    const inserted = await insertKey(tx, key);
    await insertAudit(tx, {
      actorUserId: key.userId,
      action: 'key.create',
      targetType: 'key',
      targetId: inserted.id,
      details,
      ip,
    });
    return inserted;
  });
}
