import type { Deps } from '../../deps.js';
import { audit } from '../audit.js';
import { AppError } from '../errors.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { LoginGuard } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import type { RequestMeta, SignedIn } from './types.js';
import { findUserByEmail, setLastLogin } from './users-repo.js';
import { toPublicUser } from './view.js';

/** One answer for every failure, so a caller cannot learn which emails exist or which accounts are disabled. */
export const BAD_CREDENTIALS = 'Email or password is incorrect';

export async function login(
  deps: Deps,
  sessions: Sessions,
  guard: LoginGuard,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<SignedIn> {
  await guard.check(input.email, meta.ip);
  const user = await findUserByEmail(deps.database.db, input.email);
  // Always one argon2 verification, whether or not the account exists: equal work, equal timing.
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok || user.status !== 'active') {
    await guard.failed(input.email, meta.ip);
    throw new AppError('unauthorized', BAD_CREDENTIALS);
  }
  await guard.succeeded(input.email);
  const now = deps.clock();
  await setLastLogin(deps.database.db, user.id, now);
  const signedIn = await sessions.create(toPublicUser(user), meta);
  await audit(deps.database.db, {
    actorUserId: user.id,
    action: 'user.login',
    targetType: 'user',
    targetId: user.id,
    details: { userAgent: meta.userAgent?.slice(0, 200) ?? null },
    ip: meta.ip,
  });
  return signedIn;
}
