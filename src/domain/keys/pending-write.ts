import { randomUUID } from 'node:crypto';
import type { Db } from '../../infra/db/client.js';
import { recordPendingWrite } from '../../infra/db/repos/key-writes.js';
import type { KeyRow } from '../../infra/db/repos/keys.js';
import type { PendingWrite } from './types.js';

/**
 * The pending-write protocol (docs/decisions/011): before the portal writes a key in CRS it records the values
 * it is about to send on the row, so the sync can tell its own in-flight writes from an operator's changes.
 */

type Fields = PendingWrite['fields'];

export const isExpired = (p: PendingWrite | null, now: Date) => p !== null && Date.parse(p.deadline) < now.getTime();

/**
 * Records the intent on the row read as `row` (same `rev`), unless another write's intent is still unexpired.
 * `busy`: another change is in flight; `stale`: the row changed since it was read (read it again).
 */
export async function claimPending(
  db: Db,
  row: KeyRow,
  fields: Fields,
  now: Date,
  deadlineMs: number,
): Promise<{ pending: PendingWrite } | 'busy' | 'stale'> {
  if (row.pendingWrite && !isExpired(row.pendingWrite, now)) return 'busy';
  const pending: PendingWrite = {
    id: randomUUID(),
    deadline: new Date(now.getTime() + deadlineMs).toISOString(),
    fields,
  };
  return (await recordPendingWrite(db, row, pending)) ? { pending } : 'stale';
}

/**
 * An expired intent this write replaced may still land in CRS: what this write did not overwrite stays recorded
 * (already expired), so the sync still adopts it as the portal's rather than the operator's.
 */
export function residualPending(prev: PendingWrite | null, written: Fields): PendingWrite | null {
  if (!prev) return null;
  const fields: Fields = { ...prev.fields };
  for (const k of ['name', 'status', 'expiresAt', 'models', 'deleted'] as const) {
    if (written[k] !== undefined) delete fields[k];
  }
  if (fields.limits && written.limits) {
    const limits = { ...fields.limits };
    for (const f of Object.keys(written.limits) as (keyof typeof limits)[]) delete limits[f];
    fields.limits = Object.keys(limits).length ? limits : undefined;
    if (!fields.limits) delete fields.limits;
  }
  return Object.keys(fields).length ? { ...prev, fields } : null;
}
