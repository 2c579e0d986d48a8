import { sameModels } from '../../domain/keys/crs-fields.js';
import { LIMIT_FIELDS } from '../../domain/keys/limits.js';
import { heldFields, lockLimit, lockModels, lockStatus } from '../../domain/keys/operator-locks.js';
import type { PendingWrite } from '../../domain/keys/types.js';
import { effectiveStatus } from '../../domain/keys/view.js';
import type { KeyStateWrite } from '../../infra/db/repos/sync-writes.js';
import { crsStatus, type ListedKey, type PortalKeyState } from './plan.js';

/**
 * CRS is the truth for the fields it holds (docs/decisions/011): the sync copies them onto the row, and tells
 * who changed them. A difference the portal did not write is the operator's: audited, and a tightening locks.
 * A row with a write of the portal's in flight is not judged; once that write's deadline has passed, CRS values
 * equal to what it was sending are the portal's own and adopted silently.
 */

export interface SyncAudit {
  action: string;
  details: Record<string, unknown>;
}

/** The new state of a key row, written only onto the row as it was read (`rev`), and what to audit of it. */
export interface StateUpdate extends KeyStateWrite {
  userId: string;
  audits: SyncAudit[];
}

/** What CRS says of a portal key this cycle: its list item, or that it is no longer live. */
export type CrsVerdict = ListedKey | { removed: 'deleted' | 'gone' };

type Change = { from: unknown; to: unknown };
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function judge(row: PortalKeyState, crs: CrsVerdict | undefined, now: Date): StateUpdate | undefined {
  const pending = row.pendingWrite;
  if (!crs || (pending && Date.parse(pending.deadline) >= now.getTime())) return undefined;
  const mine = pending?.fields ?? {};
  const base: StateUpdate = {
    id: row.id,
    userId: row.userId,
    rev: row.rev,
    name: row.name,
    status: row.status,
    expiresAt: row.expiresAt,
    limits: row.limits,
    models: row.models,
    crsState: 'live',
    locks: row.operatorLocks,
    clearPending: pending !== null,
    audits: [],
  };
  if ('removed' in crs) {
    const next = { ...base, status: 'deleted' as const, crsState: crs.removed };
    if (!mine.deleted) next.audits.push({ action: 'key.deleted_in_crs', details: { crsState: crs.removed } });
    return next;
  }
  return judgeLive(row, crs, base, mine, now);
}

function judgeLive(
  row: PortalKeyState,
  crs: ListedKey,
  next: StateUpdate,
  mine: PendingWrite['fields'],
  now: Date,
): StateUpdate | undefined {
  const at = now.toISOString();
  const changes: Record<string, Change> = {};
  let locks = row.operatorLocks;
  let differs = false;
  const note = (field: string, from: unknown, to: unknown, portals: boolean) => {
    differs = true;
    if (!portals) changes[field] = { from, to };
    return !portals;
  };

  const status = crsStatus(crs, now);
  next.status = status;
  if (row.status !== status) differs = true;
  const from = effectiveStatus(row, now);
  if (from !== status) {
    const portals = row.suspended || mine.status === status;
    if (note('status', from, status, portals)) {
      if (status === 'disabled' && from === 'active') locks = lockStatus(locks, true, at);
      else if (status === 'active') locks = lockStatus(locks, false, at);
    }
  }
  if (crs.name !== row.name) {
    next.name = crs.name;
    note('name', row.name, crs.name, mine.name === crs.name);
  }
  const expiresAt = crs.expiresAt ? new Date(crs.expiresAt) : null;
  if (iso(expiresAt) !== iso(row.expiresAt)) {
    next.expiresAt = expiresAt;
    const sent = mine.expiresAt === undefined ? undefined : iso(mine.expiresAt ? new Date(mine.expiresAt) : null);
    note('expiresAt', iso(row.expiresAt), iso(expiresAt), sent === iso(expiresAt));
  }
  for (const f of LIMIT_FIELDS) {
    const a = row.limits[f];
    const b = crs.limits[f];
    if (a === b) continue;
    if (note(`limits.${f}`, a, b, mine.limits?.[f] === b)) locks = lockLimit(locks, f, a, b, at);
  }
  next.limits = crs.limits;
  if (!sameModels(crs.models, row.models)) {
    next.models = crs.models;
    const portals = mine.models !== undefined && sameModels(mine.models, crs.models);
    if (note('models', row.models, crs.models, portals)) locks = lockModels(locks, row.models, crs.models, at);
  }
  if (!differs && !next.clearPending && row.crsState === 'live') return undefined;

  next.locks = locks;
  if (Object.keys(changes).length) next.audits.push({ action: 'key.operator_change', details: { changes } });
  const before = heldFields(row.operatorLocks);
  const locked = heldFields(locks).filter((f) => !before.includes(f));
  if (locked.length) next.audits.push({ action: 'key.locked', details: { fields: locked, locks } });
  return next;
}

/** A deleted row whose key an operator restored in CRS: CRS is the truth, the key is back. */
export function revive(row: PortalKeyState, crs: ListedKey, now: Date): StateUpdate {
  return {
    id: row.id,
    userId: row.userId,
    rev: row.rev,
    name: crs.name,
    status: crsStatus(crs, now),
    expiresAt: crs.expiresAt ? new Date(crs.expiresAt) : null,
    limits: crs.limits,
    models: crs.models,
    crsState: 'live',
    locks: row.operatorLocks,
    clearPending: row.pendingWrite !== null,
    audits: [{ action: 'key.restored_in_crs', details: { name: crs.name } }],
  };
}
