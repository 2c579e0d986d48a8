import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { CrsUpdateKeyInput } from '../../infra/crs/types.js';
import { apiKeys } from '../../infra/db/schema.js';
import { audit } from '../audit.js';
import { AppError, notFound } from '../errors.js';
import { futureExpiry, modelRestriction } from './crs-fields.js';
import { resolveLimits } from './limits.js';
import { findOwnedKey } from './repo.js';
import type { Actor, KeyView, UpdateKeyInput } from './types.js';
import { effectiveStatus, type KeyRow, toKeyView } from './view.js';

/**
 * CRS first, then our row. The expiry goes through CRS's PATCH …/expiration, which — unlike PUT — does not
 * silently re-enable a disabled key (reference §8.5). Should a later step fail, the CRS changes already made
 * are rolled back (best effort) so that CRS and the portal do not disagree.
 */
export async function updateKey(deps: Deps, actor: Actor, keyId: string, input: UpdateKeyInput): Promise<KeyView> {
  const now = deps.clock();
  const row = await findOwnedKey(deps.database.db, actor.userId, keyId);
  if (!row) throw notFound('Key');
  if (row.status === 'deleted') throw new AppError('conflict', 'This key is deleted and can no longer be changed');

  const limits = input.limits ? resolveLimits(input.limits, row.limits, deps.config.keyLimitCaps) : undefined;
  const expiresAt = futureExpiry(input.expiresAt, now);
  const models = input.models ? [...new Set(input.models)] : undefined;
  const expiryChanged =
    expiresAt !== undefined && (expiresAt?.getTime() ?? null) !== (row.expiresAt?.getTime() ?? null);
  // Renewing an expired key means using it again: CRS's hourly cleanup may already have disabled it.
  const renewing = expiryChanged && effectiveStatus(row, now) === 'expired' && input.status === undefined;
  const status = input.status ?? (renewing ? 'active' : undefined);

  const patch: CrsUpdateKeyInput = {};
  if (input.name !== undefined && input.name !== row.name) patch.name = input.name;
  if (limits) Object.assign(patch, limits);
  if (models) Object.assign(patch, modelRestriction(models));
  if (status) patch.isActive = status === 'active';

  const crsId = row.crsKeyId;
  if (expiryChanged) await deps.crs.setExpiration(crsId, expiresAt?.toISOString() ?? null);
  let patched = false;
  try {
    if (Object.keys(patch).length) {
      await deps.crs.updateKey(crsId, patch);
      patched = true;
    }
    const [updated] = await deps.database.db
      .update(apiKeys)
      .set({
        name: input.name ?? row.name,
        description: input.description ?? row.description,
        limits: limits ?? row.limits,
        models: models ?? row.models,
        expiresAt: expiresAt === undefined ? row.expiresAt : expiresAt,
        status: status ?? (row.status === 'expired' && !expiryChanged ? 'expired' : row.status),
        updatedAt: now,
      })
      .where(and(eq(apiKeys.id, row.id), eq(apiKeys.userId, actor.userId)))
      .returning();
    await audit(deps.database.db, {
      actorUserId: actor.userId,
      action:
        status && Object.keys(input).length === 1 ? `key.${status === 'active' ? 'enable' : 'disable'}` : 'key.update',
      targetType: 'key',
      targetId: row.id,
      details: { changes: input },
      ip: actor.ip,
    });
    await deps.cache.invalidateUser(actor.userId);
    return toKeyView(updated, now);
  } catch (e) {
    await rollBackCrs(deps, row, expiryChanged, patched ? patch : undefined);
    throw e;
  }
}

async function rollBackCrs(deps: Deps, row: KeyRow, expiry: boolean, patch: CrsUpdateKeyInput | undefined) {
  try {
    if (patch) {
      const previous: CrsUpdateKeyInput = {};
      if (patch.name !== undefined) previous.name = row.name;
      if (patch.tokenLimit !== undefined) Object.assign(previous, row.limits);
      if (patch.restrictedModels !== undefined) Object.assign(previous, modelRestriction(row.models));
      if (patch.isActive !== undefined) previous.isActive = row.status === 'active';
      await deps.crs.updateKey(row.crsKeyId, previous);
    }
    if (expiry) await deps.crs.setExpiration(row.crsKeyId, row.expiresAt?.toISOString() ?? null);
  } catch (err) {
    deps.logger.error({ err: (err as Error).message, keyId: row.id }, 'could not roll back a CRS key change');
  }
}
