import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { setOperatorLocks } from '../../infra/db/repos/key-writes.js';
import { type AdminKeyRow, findAdminKey, listAdminKeys } from '../../infra/db/repos/keys.js';
import { AppError, notFound } from '../errors.js';
import { heldFields, type Releasable, release, toHold } from './operator-locks.js';
import { effectiveStatus } from './view.js';

/** The admin's side of operator authority (docs/decisions/011): which keys the operator holds, and releasing them. */
export function createAdminKeys(deps: Deps) {
  const { db } = deps.database;
  const view = (r: AdminKeyRow) => ({
    id: r.id,
    name: r.name,
    status: effectiveStatus(r, deps.clock()),
    origin: r.origin,
    owner: { id: r.ownerId, email: r.ownerEmail },
    operator: toHold(r.operatorLocks),
  });

  return {
    async list(q: { locked: boolean; page: number; pageSize: number }) {
      const { items, total } = await listAdminKeys(db, q);
      return { items: items.map(view), page: q.page, pageSize: q.pageSize, total };
    },

    /** Frees what the operator held (all of it by default): the owner may loosen it again. CRS is not touched. */
    async release(actorId: string, id: string, fields: readonly Releasable[] | undefined, ip?: string) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const row = await findAdminKey(db, id);
        if (!row) throw notFound('Key');
        const next = release(row.operatorLocks, fields);
        const released = heldFields(row.operatorLocks).filter((f) => !heldFields(next).includes(f));
        if (released.length === 0) return view(row);
        if (!(await setOperatorLocks(db, row, next))) continue;
        await insertAudit(db, {
          actorUserId: actorId,
          action: 'key.release',
          targetType: 'key',
          targetId: id,
          details: { name: row.name, released },
          ip,
        });
        await deps.cache.invalidateUser(row.ownerId);
        return view({ ...row, operatorLocks: next });
      }
      throw new AppError('conflict', 'This key changed meanwhile; try again');
    },
  };
}

export type AdminKeysService = ReturnType<typeof createAdminKeys>;
