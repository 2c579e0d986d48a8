import type { Deps } from '../../deps.js';
import type { CrsUpdateKeyInput } from '../../infra/crs/types.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { meterFigures } from '../../infra/db/repos/key-reads.js';
import { updateKeyAtRev } from '../../infra/db/repos/key-writes.js';
import { findOwnedKey, type KeyRow } from '../../infra/db/repos/keys.js';
import { AppError, type FieldIssue, issue, notFound } from '../errors.js';
import { crsDay } from '../usage/range.js';
import { futureExpiry, modelRestriction, sameModels } from './crs-fields.js';
import { type CrsStep, guardedWrite, retryStale, StaleRow } from './guarded-write.js';
import { changedLimits, limitsOf, resolveLimits } from './limits.js';
import { ownerViolations } from './operator-locks.js';
import type { Actor, KeyLimits, KeyView, PendingWrite, UpdateKeyInput } from './types.js';
import { effectiveStatus, toKeyView } from './view.js';

/**
 * An owner's change of a key (docs/decisions/011). Only what the user changed goes to CRS (docs/crs.md, quirk
 * 18): a limit they did not touch keeps whatever the operator set. The expiry goes through CRS's PATCH
 * …/expiration, which — unlike PUT — does not re-enable a disabled key (quirk 5). What the operator holds
 * (a disable, a limit's ceiling, a blocked model) cannot be undone here: 409 `operator_locked`.
 */
export async function updateKey(deps: Deps, actor: Actor, keyId: string, input: UpdateKeyInput): Promise<KeyView> {
  const updated = await retryStale(async () => {
    const row = await findOwnedKey(deps.database.db, actor.userId, keyId);
    if (!row) throw notFound('Key');
    if (row.status === 'deleted') throw new AppError('conflict', 'This key is deleted and can no longer be changed');
    const change = planChange(deps, row, input);
    const set = {
      name: change.fields.name ?? row.name,
      description: input.description ?? row.description,
      limits: change.limits,
      models: change.fields.models ?? row.models,
      expiresAt: change.expiresAt === undefined ? row.expiresAt : change.expiresAt,
      status: change.status,
    };
    if (change.steps.length === 0) {
      const same = set.description === row.description;
      return same
        ? row
        : ((await updateKeyAtRev(deps.database.db, row, { ...set, updatedAt: deps.clock() })) ?? stale());
    }
    return guardedWrite(deps, row, change.fields, change.steps, set);
  });
  await insertAudit(deps.database.db, {
    actorUserId: actor.userId,
    action: auditAction(input),
    targetType: 'key',
    targetId: updated.id,
    details: { changes: input },
    ip: actor.ip,
  });
  await deps.cache.invalidateUser(actor.userId);
  const now = deps.clock();
  const offsetHours = deps.config.crs.timezoneOffset;
  const figures = await meterFigures(deps.database.db, [updated.id], crsDay(now, offsetHours));
  return toKeyView(updated, now, { figures: figures.get(updated.id), offsetHours });
}

const stale = (): never => {
  throw new StaleRow();
};

const auditAction = (input: UpdateKeyInput) =>
  input.status && Object.keys(input).length === 1
    ? `key.${input.status === 'active' ? 'enable' : 'disable'}`
    : 'key.update';

/** What changes in CRS (only fields whose value differs), in which calls, and the row's resulting values. */
function planChange(deps: Deps, row: KeyRow, input: UpdateKeyInput) {
  const now = deps.clock();
  const current = limitsOf(row.limits);
  const resolved = input.limits ? resolveLimits(input.limits, current, deps.config.keyLimitCaps) : undefined;
  const issues: FieldIssue[] = [...(resolved?.issues ?? [])];
  let expiresAt: Date | null | undefined;
  try {
    expiresAt = futureExpiry(input.expiresAt, now);
  } catch (e) {
    issues.unshift(issue('expiresAt', 'must be in the future', 'in_past'));
    if (!(e instanceof AppError)) throw e;
  }
  if (issues.length) throw new AppError('bad_request', `${issues[0].path}: ${issues[0].message}`, issues);

  const locks = row.operatorLocks;
  const expiryChanged =
    expiresAt !== undefined && (expiresAt?.getTime() ?? null) !== (row.expiresAt?.getTime() ?? null);
  const status0 = effectiveStatus(row, now);
  // Renewing an expired key means using it again (CRS's hourly cleanup may have disabled it) — unless the
  // operator holds it disabled.
  const renewing = expiryChanged && status0 === 'expired' && input.status === undefined && !locks?.disabled;
  const wanted = input.status ?? (renewing ? 'active' : undefined);
  const statusChanges = wanted !== undefined && wanted !== status0;
  const models = input.models ? [...new Set(input.models)] : undefined;
  const limits = resolved?.limits ?? current;
  const violations = ownerViolations(
    locks,
    { limits: current, models: row.models },
    { status: statusChanges ? wanted : undefined, limits: resolved?.limits, models },
  );
  if (violations.length) {
    throw new AppError('operator_locked', `${violations[0].path}: ${violations[0].message}`, violations);
  }

  const fields: PendingWrite['fields'] = {};
  if (input.name !== undefined && input.name !== row.name) fields.name = input.name;
  const sentLimits = changedLimits(limits, current);
  if (Object.keys(sentLimits).length) fields.limits = sentLimits;
  if (models && !sameModels(models, row.models)) fields.models = models;
  if (statusChanges) fields.status = wanted;
  if (expiryChanged) fields.expiresAt = expiresAt?.toISOString() ?? null;

  const steps: CrsStep[] = [];
  const crsId = row.crsKeyId;
  if (expiryChanged) {
    steps.push({
      run: () => deps.crs.setExpiration(crsId, fields.expiresAt ?? null),
      undo: () => deps.crs.setExpiration(crsId, row.expiresAt?.toISOString() ?? null),
    });
  }
  const patch = crsPatch(fields);
  if (Object.keys(patch).length) {
    steps.push({
      run: () => deps.crs.updateKey(crsId, patch),
      undo: () => deps.crs.updateKey(crsId, crsPatch(previousOf(row, fields, current))),
    });
  }
  const status = statusChanges ? wanted! : row.status === 'expired' && !expiryChanged ? 'expired' : row.status;
  return { fields, steps, limits, expiresAt, status };
}

/** The CRS body of exactly these fields (the expiry has its own route). */
function crsPatch(f: PendingWrite['fields']): CrsUpdateKeyInput {
  const patch: CrsUpdateKeyInput = { ...f.limits };
  if (f.name !== undefined) patch.name = f.name;
  if (f.models !== undefined) Object.assign(patch, modelRestriction(f.models));
  if (f.status !== undefined) patch.isActive = f.status === 'active';
  return patch;
}

/** The values the row had for exactly the fields a write sends: a rollback restores those and nothing else. */
function previousOf(row: KeyRow, f: PendingWrite['fields'], current: KeyLimits): PendingWrite['fields'] {
  const prev: PendingWrite['fields'] = {};
  if (f.name !== undefined) prev.name = row.name;
  if (f.models !== undefined) prev.models = row.models;
  if (f.status !== undefined) prev.status = row.status === 'active' ? 'active' : 'disabled';
  if (f.limits) {
    prev.limits = Object.fromEntries(Object.keys(f.limits).map((k) => [k, current[k as keyof KeyLimits]]));
  }
  return prev;
}
