import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.js';
import type { CrsCreatedKey } from '../../infra/crs/types.js';
import { abandonCreate } from '../../infra/db/repos/key-creates.js';
import { AppError, isAppError } from '../errors.js';
import { completeCreate, reserveCreate } from './create-marker.js';
import { futureExpiry, modelRestriction, ownerTags, withMarker } from './crs-fields.js';
import { definitelyNotWritten } from './guarded-write.js';
import { resolveLimits } from './limits.js';
import type { Actor, CreateKeyInput, KeyLimits, KeyView } from './types.js';
import { toKeyView } from './view.js';

/** Room for the pending record beyond the CRS call's own timeout: two short transactions and a slow moment. */
const DEADLINE_MARGIN_MS = 5_000;

/** How long a create may stay in flight before the sync gives it up (docs/decisions/010). */
export const createDeadlineMs = (crsTimeoutMs: number) => 2 * crsTimeoutMs + DEADLINE_MARGIN_MS;

/**
 * A create that cannot leave an orphan (docs/decisions/010). No transaction or pool connection is held across
 * the CRS call: (1) a short transaction reserves a marker against the quota, (2) CRS creates the key carrying
 * the marker in its description, (3) a short transaction completes the marker and inserts the row. When the
 * outcome is unknown — CRS timed out, the database failed after CRS said yes, the process died — the marker
 * stays pending and the sync settles it after its deadline: a key it made is soft-deleted, never delivered.
 * The secret passes through to the caller once and is never stored: only its prefix and last 4 characters are.
 */
export async function createKey(
  deps: Deps,
  actor: Actor,
  input: CreateKeyInput,
): Promise<{ key: KeyView; secret: string }> {
  const now = deps.clock();
  const { limits, issues } = resolveLimits(input.limits, undefined, deps.config.keyLimitCaps);
  if (issues.length) throw new AppError('bad_request', `${issues[0].path}: ${issues[0].message}`, issues);
  const expiresAt = futureExpiry(input.expiresAt, now);
  const models = [...new Set(input.models ?? [])];
  const description = input.description ?? '';
  const marker = randomUUID();
  await reserveCreate(deps.database, {
    marker,
    userId: actor.userId,
    name: input.name,
    now,
    deadline: new Date(now.getTime() + createDeadlineMs(deps.config.crs.timeoutMs)),
    defaultMaxKeys: deps.config.defaultMaxKeys,
  });

  let created: CrsCreatedKey;
  try {
    created = await deps.crs.createKey({
      name: input.name,
      description: withMarker(description, marker),
      tags: ownerTags(actor.userId),
      expiresAt: expiresAt?.toISOString() ?? null,
      ...setLimits(limits),
      ...modelRestriction(models),
    });
  } catch (e) {
    // An answer is final: nothing was made. No answer may still make a key (quirk 17): the sync settles it.
    if (!definitelyNotWritten(e)) throw notCreated(e);
    await abandonCreate(deps.database.db, marker).catch(() => {});
    throw e;
  }

  const row = await completeCreate(
    deps.database,
    marker,
    {
      userId: actor.userId,
      crsKeyId: created.key.id,
      name: input.name,
      description,
      status: 'active',
      keyPrefix: created.secret.slice(0, 7),
      keyLast4: created.secret.slice(-4),
      limits,
      models,
      expiresAt: expiresAt ?? null,
      createdAt: now,
      updatedAt: now,
    },
    { name: input.name, limits, models, expiresAt: expiresAt?.toISOString() ?? null },
    actor.ip,
  ).catch(async (e: unknown) => {
    // The database failed after CRS said yes: give the create up if it is still ours to give up, else the
    // sync will once its deadline has passed.
    await giveUp(deps, marker, created.key.id);
    throw notCreated(e);
  });
  if (!row) {
    await giveUp(deps, marker, created.key.id);
    throw notCreated(undefined);
  }
  await deps.cache.invalidateUser(actor.userId);
  return { key: toKeyView(row, now, { offsetHours: deps.config.crs.timezoneOffset }), secret: created.secret };
}

/** CRS rejects some zero limits on create (a rate window must be ≥ 1) and 0 is its default anyway. */
function setLimits(limits: KeyLimits): Partial<KeyLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v > 0));
}

/** Soft delete (never permanent) of a key that will not be delivered; a failure is the sync's to finish. */
async function giveUp(deps: Deps, marker: string, crsKeyId: string) {
  try {
    if (await abandonCreate(deps.database.db, marker, crsKeyId)) await deps.crs.deleteKey(crsKeyId);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, marker }, 'an undelivered key is left to the sync to settle');
  }
}

function notCreated(cause: unknown): AppError {
  const retryAfter = isAppError(cause) ? cause.retryAfter : undefined;
  return new AppError(
    'upstream_unavailable',
    'The key was not created: CRS or the database did not complete the request. Try again in a moment.',
    undefined,
    retryAfter ?? 5,
  );
}
