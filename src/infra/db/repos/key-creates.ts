import { and, count, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { keyCreates } from '../schema.js';

/**
 * SQL of the create markers (docs/decisions/010): one row per key create, pending until the key row is written
 * (done) or the create is given up (abandoned).
 */

export async function insertPendingCreate(
  tx: Db,
  c: { marker: string; userId: string; name: string; now: Date; deadline: Date },
): Promise<void> {
  await tx.insert(keyCreates).values({
    id: c.marker,
    userId: c.userId,
    name: c.name,
    status: 'pending',
    createdAt: c.now,
    deadline: c.deadline,
  });
}

/** Creates of the user still in flight (pending, deadline not passed): they count against the key quota. */
export async function countPendingCreates(tx: Db, userId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(keyCreates)
    .where(and(eq(keyCreates.userId, userId), eq(keyCreates.status, 'pending'), gt(keyCreates.deadline, now)));
  return row.n;
}

/** Completes the create if it is still pending (the sync may have settled it meanwhile): true when it did. */
export async function markCreateDone(tx: Db, marker: string, crsKeyId: string): Promise<boolean> {
  const done = await tx
    .update(keyCreates)
    .set({ status: 'done', crsKeyId })
    .where(and(eq(keyCreates.id, marker), eq(keyCreates.status, 'pending')))
    .returning({ id: keyCreates.id });
  return done.length > 0;
}

/**
 * Gives a create up while it is still pending (CRS refused it, or it cannot be delivered): true when this call
 * settled it, so the caller may soft-delete what CRS made; false when it was settled otherwise.
 */
export async function abandonCreate(db: Db, marker: string, crsKeyId?: string): Promise<boolean> {
  const rows = await db
    .update(keyCreates)
    .set({ status: 'abandoned', ...(crsKeyId ? { crsKeyId } : {}) })
    .where(and(eq(keyCreates.id, marker), eq(keyCreates.status, 'pending')))
    .returning({ id: keyCreates.id });
  return rows.length > 0;
}

/** The sync's half: every create still pending past its deadline is given up (its key, if any, is an orphan). */
export async function abandonExpiredCreates(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(keyCreates)
    .set({ status: 'abandoned' })
    .where(and(eq(keyCreates.status, 'pending'), lt(keyCreates.deadline, now)))
    .returning({ id: keyCreates.id });
  return rows.length;
}

/** The status of each marker the portal knows (unknown markers are absent). */
export async function createStatuses(
  db: Db,
  markers: string[],
): Promise<Map<string, { status: string; deadline: Date }>> {
  if (markers.length === 0) return new Map();
  const rows = await db
    .select({ id: keyCreates.id, status: keyCreates.status, deadline: keyCreates.deadline })
    .from(keyCreates)
    .where(inArray(keyCreates.id, markers));
  return new Map(rows.map((r) => [r.id, { status: r.status, deadline: r.deadline }]));
}

/** Records which CRS key an abandoned create turned out to have made (for the audit trail and idempotence). */
export async function noteSettledKey(db: Db, marker: string, crsKeyId: string): Promise<boolean> {
  const rows = await db
    .update(keyCreates)
    .set({ crsKeyId })
    .where(and(eq(keyCreates.id, marker), eq(keyCreates.status, 'abandoned')))
    .returning({ id: keyCreates.id });
  return rows.length > 0;
}
