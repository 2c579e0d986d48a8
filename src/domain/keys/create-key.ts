import type { Deps } from '../../deps.js';
import type { CrsCreatedKey } from '../../infra/crs/types.js';
import { apiKeys } from '../../infra/db/schema.js';
import { audit } from '../audit.js';
import { AppError } from '../errors.js';
import { futureExpiry, modelRestriction, ownerTags } from './crs-fields.js';
import { NO_LIMITS, resolveLimits } from './limits.js';
import { lockUserForKeyCreation } from './repo.js';
import type { Actor, CreateKeyInput, KeyLimits, KeyView } from './types.js';
import { toKeyView } from './view.js';

/**
 * CRS first, then our row, in one transaction that holds the owner's row lock (so the quota check cannot race).
 * If anything after the CRS call fails, the CRS key is deleted again: nothing is orphaned. The secret passes
 * through to the caller once and is never stored: only its prefix and last 4 characters are.
 */
export async function createKey(
  deps: Deps,
  actor: Actor,
  input: CreateKeyInput,
): Promise<{ key: KeyView; secret: string }> {
  const now = deps.clock();
  const limits = resolveLimits(input.limits, NO_LIMITS, deps.config.keyLimitCaps);
  const expiresAt = futureExpiry(input.expiresAt, now);
  const models = [...new Set(input.models ?? [])];
  let created: CrsCreatedKey | undefined;
  try {
    const row = await deps.database.db.transaction(async (tx) => {
      const owner = await lockUserForKeyCreation(tx, actor.userId);
      if (owner?.status !== 'active') throw new AppError('unauthorized', 'Sign in to continue');
      const maxKeys = owner.maxKeys ?? deps.config.defaultMaxKeys;
      if (owner.liveKeys >= maxKeys) {
        throw new AppError('conflict', `Key quota reached: you can have at most ${maxKeys} keys`, { maxKeys });
      }
      created = await deps.crs.createKey({
        name: input.name,
        description: input.description ?? '',
        tags: ownerTags(actor.userId),
        expiresAt: expiresAt?.toISOString() ?? null,
        ...setLimits(limits),
        ...modelRestriction(models),
      });
      const [inserted] = await tx
        .insert(apiKeys)
        .values({
          userId: actor.userId,
          crsKeyId: created.key.id,
          name: input.name,
          description: input.description ?? '',
          status: 'active',
          keyPrefix: created.secret.slice(0, 7),
          keyLast4: created.secret.slice(-4),
          limits,
          models,
          expiresAt,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await audit(tx, {
        actorUserId: actor.userId,
        action: 'key.create',
        targetType: 'key',
        targetId: inserted.id,
        details: { name: input.name, limits, models, expiresAt: expiresAt?.toISOString() ?? null },
        ip: actor.ip,
      });
      return inserted;
    });
    await deps.cache.invalidateUser(actor.userId);
    return { key: toKeyView(row, now), secret: created!.secret };
  } catch (e) {
    if (created) await deleteFromCrs(deps, created.key.id);
    throw e;
  }
}

/** CRS rejects some zero limits on create (a rate window must be ≥ 1) and 0 is its default anyway. */
function setLimits(limits: KeyLimits): Partial<KeyLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v > 0));
}

/** Compensation: soft delete, then permanent. A failure here is left to the reconciliation job (tag `portal`). */
async function deleteFromCrs(deps: Deps, crsKeyId: string) {
  try {
    await deps.crs.deleteKey(crsKeyId);
    await deps.crs.deleteKeyPermanently(crsKeyId);
  } catch (err) {
    deps.logger.error({ err: (err as Error).message }, 'could not remove a CRS key after a failed create');
  }
}
