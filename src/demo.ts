import { randomBytes } from 'node:crypto';
import type { Emulator } from './crs-emulator/index.js';
import type { Deps } from './deps.js';
import { hashPassword } from './domain/accounts/password-hash.js';
import { findOwnedKey } from './infra/db/repos/keys.js';
import { userKeys } from './infra/db/repos/usage.js';
import { findUserByEmail, insertUser, setPasswordHash, updateUser } from './infra/db/repos/users.js';
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
  const existing = await findUserByEmail(db, DEMO_EMAIL);
  if (existing) {
    const now = deps.clock();
    await setPasswordHash(db, existing.id, passwordHash, now);
    await updateUser(db, existing.id, { status: 'active' }, now);
  }
  const userId =
    existing?.id ??
    (await insertUser(db, { email: DEMO_EMAIL, passwordHash, displayName: 'Demo user', role: 'admin' })).id;

  // Deleted keys count: a demo whose keys were all deleted stays as its user left it.
  if ((await userKeys(db, userId)).length === 0) {
    for (const k of DEMO_KEYS) {
      const { key } = await services.keys.create({ userId }, { name: k.name, description: k.description });
      const row = (await findOwnedKey(db, userId, key.id))!;
      emulator.store.seedHistory(row.crsKeyId, { days: 30, requestsPerDay: k.requestsPerDay, seed: k.seed });
    }
  }
  deps.logger.warn(
    { email: DEMO_EMAIL },
    `DEMO account: sign in as ${DEMO_EMAIL} with password ${password} (a new password is generated at every start)`,
  );
}
