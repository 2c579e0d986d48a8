import type { Deps } from '../../deps.js';
import { isAppError } from '../../domain/errors.js';
import { settleSuspended } from '../../domain/keys/owner-status.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { abandonExpiredCreates, createStatuses, noteSettledKey } from '../../infra/db/repos/key-creates.js';

/** CRS deletes per cycle at most, so the sync lock is never held long; the rest waits for the next cycle. */
export const MAX_DELETES = 50;
const CONCURRENCY = 4;

/** A listed key without a row whose description carries one of the portal's create markers. */
export interface MarkedKey {
  id: string;
  name: string;
  owner: string | undefined;
  marker: string;
}

export interface SettleWork {
  /** Listed keys carrying a create marker of ours and no row. */
  marked: MarkedKey[];
  /** Suspended keys whose owner's status CRS does not reflect yet. */
  suspended: string[];
}

/**
 * After the sync's transaction, outside any transaction (docs/decisions/010): creates pending past their deadline
 * are given up, and every listed key whose marker names a given-up create is soft-deleted in CRS — never a key
 * without a marker or with one the portal does not know, never a hard delete. Then suspended keys are brought
 * in line with their owners (owner-status.ts).
 */
export async function settle(deps: Deps, work: SettleWork): Promise<{ settled: number; resumed: number }> {
  const { db } = deps.database;
  const now = deps.clock();
  await abandonExpiredCreates(db, now);
  const statuses = await createStatuses(
    db,
    work.marked.map((k) => k.marker),
  );
  const orphans = work.marked.filter((k) => statuses.get(k.marker)?.status === 'abandoned').slice(0, MAX_DELETES);
  let settled = 0;
  const queue = [...orphans];
  const worker = async () => {
    for (let k = queue.shift(); k; k = queue.shift()) {
      try {
        await deps.crs.deleteKey(k.id).catch((e: unknown) => {
          if (!(isAppError(e) && e.code === 'not_found')) throw e;
        });
        await noteSettledKey(db, k.marker, k.id);
        await insertAudit(db, {
          actorUserId: null,
          action: 'key.create_settled',
          targetType: 'key',
          targetId: null,
          details: { marker: k.marker, name: k.name, owner: k.owner },
        });
        settled++;
      } catch (err) {
        deps.logger.warn(
          { err: (err as Error).message, marker: k.marker },
          'sync: an undelivered key is settled next cycle',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (orphans.length)
    deps.logger.info({ orphans: orphans.length, settled }, 'sync: undelivered keys soft-deleted in CRS');
  const resumed = work.suspended.length ? await settleSuspended(deps, work.suspended.slice(0, MAX_DELETES)) : 0;
  return { settled, resumed };
}
