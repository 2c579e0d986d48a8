import { randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import type { Emulator } from './crs-emulator/index.js';
import type { Deps } from './deps.js';
import { hashPassword } from './domain/accounts/passwords.js';
import { apiKeys, users } from './infra/db/schema.js';
import type { Services } from './services.js';

export const DEMO_EMAIL = 'demo@example.com';

const DEMO_KEYS = [
  { name: 'MacBook – Claude Code', description: 'Daily driver', requestsPerDay: 45, seed: 11 },
  { name: 'CI pipeline', description: 'Nightly refactors', requestsPerDay: 20, seed: 12 },
  { name: 'Side project', description: '', requestsPerDay: 6, seed: 13 },
];

/**
 * Demo mode only: an admin account with a fresh password on every start (printed, since the demo has no other
 * way in), and on first start three keys with a month of history in the emulator, so every page has data.
 */
export async function bootstrapDemo(services: Services, deps: Deps, emulator: Emulator): Promise<void> {
  const { db } = deps.database;
  const password = randomBytes(9).toString('base64url');
  const passwordHash = await hashPassword(password);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_EMAIL));
  const userId = existing
    ? (await db.update(users).set({ passwordHash, status: 'active' }).where(eq(users.id, existing.id)).returning())[0]
        .id
    : (
        await db
          .insert(users)
          .values({ email: DEMO_EMAIL, passwordHash, displayName: 'Demo user', role: 'admin' })
          .returning()
      )[0].id;

  const [{ n }] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.userId, userId));
  if (n === 0) {
    for (const k of DEMO_KEYS) {
      const { key } = await services.keys.create({ userId }, { name: k.name, description: k.description });
      const [row] = await db.select({ crsKeyId: apiKeys.crsKeyId }).from(apiKeys).where(eq(apiKeys.id, key.id));
      emulator.store.seedHistory(row.crsKeyId, { days: 30, requestsPerDay: k.requestsPerDay, seed: k.seed });
    }
  }
  deps.logger.warn(
    { email: DEMO_EMAIL },
    `DEMO account: sign in as ${DEMO_EMAIL} with password ${password} (a new password is generated at every start)`,
  );
}
