import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { authFlows } from '../schema.js';

/** SQL on the sign-in steps that span requests (OpenID state, a second factor owed, an SSO identity pending). */

export type FlowKind = 'oidc' | 'mfa' | 'sso-pending';

export interface FlowRow {
  kind: FlowKind;
  userId: string | null;
  data: Record<string, unknown>;
  attempts: number;
  expiresAt: Date;
}

export async function insertFlow(
  db: Db,
  f: { idHash: string; kind: FlowKind; userId?: string; data: Record<string, unknown>; now: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(authFlows).values({
    idHash: f.idHash,
    kind: f.kind,
    userId: f.userId ?? null,
    data: f.data,
    createdAt: f.now,
    expiresAt: f.expiresAt,
  });
}

const live = (idHash: string, kind: FlowKind, now: Date) =>
  and(eq(authFlows.idHash, idHash), eq(authFlows.kind, kind), gt(authFlows.expiresAt, now));

/** Deletes and answers a live flow: whoever takes it is the only one (a replayed callback finds nothing). */
export async function takeFlow(db: Db, idHash: string, kind: FlowKind, now: Date): Promise<FlowRow | undefined> {
  const [row] = await db
    .delete(authFlows)
    .where(live(idHash, kind, now))
    .returning({
      kind: authFlows.kind,
      userId: authFlows.userId,
      data: authFlows.data,
      attempts: authFlows.attempts,
      expiresAt: authFlows.expiresAt,
    });
  return row;
}

/** Reads a live flow without using it up. */
export async function peekFlow(db: Db, idHash: string, kind: FlowKind, now: Date): Promise<FlowRow | undefined> {
  const [row] = await db
    .select({
      kind: authFlows.kind,
      userId: authFlows.userId,
      data: authFlows.data,
      attempts: authFlows.attempts,
      expiresAt: authFlows.expiresAt,
    })
    .from(authFlows)
    .where(live(idHash, kind, now));
  return row;
}

/**
 * Counts one failed attempt at a live flow; the flow is deleted once `max` attempts failed. Answers how many
 * attempts are left (0 when it is gone). One statement each, so concurrent guesses cannot share an attempt.
 */
export async function failFlowAttempt(db: Db, idHash: string, kind: FlowKind, max: number, now: Date): Promise<number> {
  const [row] = await db
    .update(authFlows)
    .set({ attempts: sql`${authFlows.attempts} + 1` })
    .where(live(idHash, kind, now))
    .returning({ attempts: authFlows.attempts });
  if (!row) return 0;
  if (row.attempts >= max) {
    await db.delete(authFlows).where(eq(authFlows.idHash, idHash));
    return 0;
  }
  return max - row.attempts;
}

export async function purgeFlows(db: Db, now: Date): Promise<void> {
  await db.delete(authFlows).where(lte(authFlows.expiresAt, now));
}
