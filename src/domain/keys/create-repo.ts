import { and, count, eq, gt, inArray, lt, ne } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { apiKeys, keyCreates, users } from '../../infra/db/schema.js';
import { audit } from '../audit.js';
import { AppError } from '../errors.js';

/** SQL of the create protocol (docs/decisions/010): reserve a marker, complete it, or give it up. */

type NewKeyRow = typeof apiKeys.$inferInsert;

/**
 * Short transaction 1: lock the owner's row (concurrent creates of one user queue here, so the quota check
 * cannot race), count live keys plus creates still in flight, record the pending create with its marker.
 */
export async function reserveCreate(
  db: Db,
  c: { marker: string; userId: string; name: string; now: Date; deadline: Date; defaultMaxKeys: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ maxKeys: users.maxKeys, status: users.status })
      .from(users)
      .where(eq(users.id, c.userId))
      .for('update');
    if (owner?.status !== 'active') throw new AppError('unauthorized', 'Sign in to continue');
    const [[live], [inFlight]] = await Promise.all([
      tx
        .select({ n: count() })
        .from(apiKeys)
        .where(and(eq(apiKeys.userId, c.userId), ne(apiKeys.status, 'deleted'))),
      tx
        .select({ n: count() })
        .from(keyCreates)
        .where(and(eq(keyCreates.userId, c.userId), eq(keyCreates.status, 'pending'), gt(keyCreates.deadline, c.now))),
    ]);
    const maxKeys = owner.maxKeys ?? c.defaultMaxKeys;
    if (live.n + inFlight.n >= maxKeys) {
      throw new AppError('conflict', `Key quota reached: you can have at most ${maxKeys} keys`, { maxKeys });
    }
    await tx.insert(keyCreates).values({
      id: c.marker,
      userId: c.userId,
      name: c.name,
      status: 'pending',
      createdAt: c.now,
      deadline: c.deadline,
    });
  });
}

/**
 * Short transaction 2: the create is done only if it is still pending (the sync may have settled it meanwhile)
 * and its owner still active; then the key row and its audit entry. Undefined when the create may not be delivered.
 */
export async function completeCreate(
  db: Db,
  marker: string,
  row: NewKeyRow,
  details: Record<string, unknown>,
  ip: string | undefined,
): Promise<typeof apiKeys.$inferSelect | undefined> {
  return db.transaction(async (tx) => {
    // A share lock: an admin disabling the owner right now waits, or has already suspended the owner's keys.
    const [owner] = await tx.select({ status: users.status }).from(users).where(eq(users.id, row.userId)).for('share');
    if (owner?.status !== 'active') return undefined;
    const done = await tx
      .update(keyCreates)
      .set({ status: 'done', crsKeyId: row.crsKeyId })
      .where(and(eq(keyCreates.id, marker), eq(keyCreates.status, 'pending')))
      .returning({ id: keyCreates.id });
    if (done.length === 0) return undefined;
    const [inserted] = await tx.insert(apiKeys).values(row).returning();
    await audit(tx, {
      actorUserId: row.userId,
      action: 'key.create',
      targetType: 'key',
      targetId: inserted.id,
      details,
      ip,
    });
    return inserted;
  });
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
