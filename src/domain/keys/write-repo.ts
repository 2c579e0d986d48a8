import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { apiKeys, type PendingWrite } from '../../infra/db/schema.js';
import type { KeyRow } from './view.js';

/**
 * The pending-write protocol (docs/decisions/011): before the portal writes a key in CRS it records the values
 * it is about to send on the row, so the sync can tell its own in-flight writes from an operator's changes.
 */

type Fields = PendingWrite['fields'];
type RowSet = Partial<typeof apiKeys.$inferInsert>;

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
  const claimed = await db
    .update(apiKeys)
    .set({ pendingWrite: pending, rev: sql`${apiKeys.rev} + 1` })
    .where(and(eq(apiKeys.id, row.id), eq(apiKeys.rev, row.rev)))
    .returning({ id: apiKeys.id });
  return claimed.length ? { pending } : 'stale';
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

/** The row after the write landed: its new values, and the intent gone (if it is still this write's). */
export async function finishPending(
  db: Db,
  rowId: string,
  pending: PendingWrite,
  residual: PendingWrite | null,
  set: RowSet,
): Promise<KeyRow> {
  const [row] = await db
    .update(apiKeys)
    .set({
      ...set,
      pendingWrite: sql`case when ${apiKeys.pendingWrite}->>'id' = ${pending.id} then ${residual ? JSON.stringify(residual) : null}::jsonb else ${apiKeys.pendingWrite} end`,
      rev: sql`${apiKeys.rev} + 1`,
    })
    .where(eq(apiKeys.id, rowId))
    .returning();
  return row;
}

/** The write did not happen (a definite refusal, rolled back): the intent goes, nothing else changes. */
export async function dropPending(db: Db, rowId: string, pending: PendingWrite, residual: PendingWrite | null) {
  await db
    .update(apiKeys)
    .set({
      pendingWrite: residual,
      rev: sql`${apiKeys.rev} + 1`,
    })
    .where(and(eq(apiKeys.id, rowId), sql`${apiKeys.pendingWrite}->>'id' = ${pending.id}`));
}

/** A portal-only change (the description): no CRS call, so no intent to record. */
export async function setPortalOnly(db: Db, row: KeyRow, set: RowSet): Promise<KeyRow | undefined> {
  const [updated] = await db
    .update(apiKeys)
    .set({ ...set, rev: sql`${apiKeys.rev} + 1` })
    .where(and(eq(apiKeys.id, row.id), eq(apiKeys.rev, row.rev)))
    .returning();
  return updated;
}
