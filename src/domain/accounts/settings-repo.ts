import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { portalSettings, setupTokens, users } from '../../infra/db/schema.js';

/** SQL on the deployment-wide settings and the admin setup tokens (docs/decisions/013). */

/** The stored value, creating it with `value` when absent: every instance ends up with the same one. */
export async function settingOrCreate(db: Db, name: string, value: string): Promise<string> {
  await db.insert(portalSettings).values({ name, value }).onConflictDoNothing();
  const [row] = await db
    .select({ value: portalSettings.value })
    .from(portalSettings)
    .where(eq(portalSettings.name, name));
  return row.value;
}

export async function readSetting(db: Db, name: string): Promise<string | undefined> {
  const [row] = await db
    .select({ value: portalSettings.value })
    .from(portalSettings)
    .where(eq(portalSettings.name, name));
  return row?.value;
}

export async function writeSetting(db: Db, name: string, value: string, now: Date): Promise<void> {
  await db
    .insert(portalSettings)
    .values({ name, value, updatedAt: now })
    .onConflictDoUpdate({ target: portalSettings.name, set: { value, updatedAt: now } });
}

export async function hasActiveAdmin(db: Db): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')))
    .limit(1);
  return rows.length > 0;
}

export async function addSetupToken(db: Db, tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db.delete(setupTokens).where(lte(setupTokens.expiresAt, now));
  await db.insert(setupTokens).values({ tokenHash, createdAt: now, expiresAt });
}

/** True when the token was live; every setup token goes with it (one admin bootstrap, then none). */
export async function consumeSetupToken(tx: Db, tokenHash: string, now: Date): Promise<boolean> {
  const used = await tx
    .delete(setupTokens)
    .where(and(eq(setupTokens.tokenHash, tokenHash), gt(setupTokens.expiresAt, now)))
    .returning({ tokenHash: setupTokens.tokenHash });
  if (used.length) await tx.delete(setupTokens);
  return used.length === 1;
}

export async function purgeSetupTokens(db: Db, now: Date): Promise<void> {
  await db.delete(setupTokens).where(lte(setupTokens.expiresAt, now));
}
