import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { revokeOtherSessions } from '../../infra/db/repos/sessions.js';
import { addSetupToken, readSetting, writeSetting } from '../../infra/db/repos/settings.js';
import {
  findUserByEmail,
  hasActiveAdmin,
  insertUser,
  lockRegistrations,
  makeActiveAdmin,
  setPasswordHash,
} from '../../infra/db/repos/users.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { hashToken, newSessionToken } from './tokens.js';

/** How long a printed setup token can be used; a later start without an admin prints a new one. */
export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;

/** portal_settings name of the argon2 hash of the ADMIN_PASSWORD value last applied to this address. */
const appliedSetting = (email: string) => `admin_password_applied:${email}`;

/**
 * The admin bootstrap at start (docs/decisions/013), as operators know it from Grafana or Keycloak:
 * - ADMIN_EMAIL + ADMIN_PASSWORD (or _FILE): that account is created, or made an active admin; its password is set
 *   when the configured value is new or changed since it was last applied — a password changed in the UI
 *   survives restarts, and changing the variable is the way back in;
 * - otherwise, while no active admin exists (and outside the demo, which prints its own admin), a one-time setup
 *   token is printed; the registration that presents it becomes the admin. Only its hash is stored, one per start,
 *   so a token printed by any instance works on every instance.
 * Existing admins stay admins. Answers the token it printed, if any (for tests).
 */
export async function bootstrapAdmin(deps: Deps): Promise<{ setupToken?: string }> {
  const { adminEmail, adminPassword } = deps.config;
  if (adminEmail && adminPassword) {
    await ensureAdmin(deps, adminEmail, adminPassword);
    return {};
  }
  const { db } = deps.database;
  if (deps.config.demo || (await hasActiveAdmin(db))) return {};
  const token = newSessionToken();
  const now = deps.clock();
  await addSetupToken(db, hashToken(token), now, new Date(now.getTime() + SETUP_TOKEN_TTL_MS));
  deps.logger.warn(
    `NO ADMIN YET: register at /register with the setup token ${token} to become the admin ` +
      '(valid 24 hours, used once; or set ADMIN_EMAIL and ADMIN_PASSWORD and restart)',
  );
  return { setupToken: token };
}

async function ensureAdmin(deps: Deps, email: string, password: string): Promise<void> {
  const { db } = deps.database;
  const applied = await readSetting(db, appliedSetting(email));
  const changed = !applied || !(await verifyPassword(applied, password));
  const passwordHash = changed ? await hashPassword(password) : undefined;
  const now = deps.clock();
  const revoked = await deps.database.transaction(async (tx) => {
    await lockRegistrations(tx);
    const existing = await findUserByEmail(tx, email);
    const user =
      existing ??
      (await insertUser(tx, {
        email,
        passwordHash: passwordHash ?? (await hashPassword(password)),
        displayName: email.slice(0, email.lastIndexOf('@')).slice(0, 100),
        role: 'admin',
        now,
      }));
    let hashes: string[] = [];
    if (existing) {
      await makeActiveAdmin(tx, user.id, now);
      if (passwordHash) {
        // A reset password ends every session of the account, as a password change does.
        await setPasswordHash(tx, user.id, passwordHash, now);
        hashes = await revokeOtherSessions(tx, user.id, undefined, now);
      }
    }
    if (passwordHash) await writeSetting(tx, appliedSetting(email), passwordHash, now);
    if (!existing || passwordHash || existing.role !== 'admin' || existing.status !== 'active') {
      await insertAudit(tx, {
        actorUserId: null,
        action: 'admin.bootstrap',
        targetType: 'user',
        targetId: user.id,
        details: { created: !existing, passwordSet: Boolean(passwordHash) },
      });
    }
    return hashes;
  });
  await Promise.all(revoked.map((h) => deps.cache.entries.session(h).delete()));
  deps.logger.info(
    { email },
    changed ? 'admin account from ADMIN_EMAIL ready (password set from ADMIN_PASSWORD)' : 'admin account ready',
  );
}
