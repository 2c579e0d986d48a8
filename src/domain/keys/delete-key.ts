import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { apiKeys } from '../../infra/db/schema.js';
import { audit } from '../audit.js';
import { isAppError, notFound } from '../errors.js';
import { findOwnedKey } from './repo.js';
import type { Actor } from './types.js';

/**
 * Soft delete in CRS (the key stops working, CRS keeps its usage), then the row is marked deleted and kept, so
 * history and totals remain. Deleting twice is fine. A key CRS no longer knows (the operator removed it) is
 * simply marked deleted here. If our write fails after CRS's, the next sync sees the key gone and marks it.
 */
export async function deleteKey(deps: Deps, actor: Actor, keyId: string): Promise<void> {
  const row = await findOwnedKey(deps.database.db, actor.userId, keyId);
  if (!row) throw notFound('Key');
  if (row.status === 'deleted') return;
  try {
    await deps.crs.deleteKey(row.crsKeyId);
  } catch (e) {
    if (!(isAppError(e) && e.code === 'not_found')) throw e;
  }
  const now = deps.clock();
  await deps.database.db
    .update(apiKeys)
    .set({ status: 'deleted', deletedAt: now, updatedAt: now })
    .where(and(eq(apiKeys.id, row.id), eq(apiKeys.userId, actor.userId)));
  await audit(deps.database.db, {
    actorUserId: actor.userId,
    action: 'key.delete',
    targetType: 'key',
    targetId: row.id,
    details: { name: row.name },
    ip: actor.ip,
  });
  await deps.cache.invalidateUser(actor.userId);
}
