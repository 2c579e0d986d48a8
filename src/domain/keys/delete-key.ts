import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { findOwnedKey } from '../../infra/db/repos/keys.js';
import { isAppError, notFound } from '../errors.js';
import { guardedWrite, retryStale } from './guarded-write.js';
import type { Actor, CrsState } from './types.js';

/**
 * Soft delete in CRS (the key stops working, CRS keeps its usage, the operator can restore it), then the row is
 * marked deleted and kept, so history and totals remain. Deleting twice is fine. A key CRS no longer knows is
 * simply marked deleted here (`gone`). The portal never hard-deletes (docs/decisions/010).
 */
export async function deleteKey(deps: Deps, actor: Actor, keyId: string): Promise<void> {
  const row = await retryStale(async () => {
    const row = await findOwnedKey(deps.database.db, actor.userId, keyId);
    if (!row) throw notFound('Key');
    if (row.status === 'deleted') return undefined;
    let crsState: CrsState = 'deleted';
    const now = deps.clock();
    return guardedWrite(
      deps,
      row,
      { deleted: true },
      [
        {
          run: () =>
            deps.crs.deleteKey(row.crsKeyId).catch((e: unknown) => {
              if (!(isAppError(e) && e.code === 'not_found')) throw e;
              crsState = 'gone';
            }),
          // A soft delete has no undo the portal would want: the row is marked deleted next sync anyway.
          undo: async () => {},
        },
      ],
      () => ({ status: 'deleted', deletedAt: now, crsState, suspended: false }),
    );
  });
  if (!row) return;
  await insertAudit(deps.database.db, {
    actorUserId: actor.userId,
    action: 'key.delete',
    targetType: 'key',
    targetId: row.id,
    details: { name: row.name, crsState: row.crsState },
    ip: actor.ip,
  });
  await deps.cache.invalidateUser(actor.userId);
}
