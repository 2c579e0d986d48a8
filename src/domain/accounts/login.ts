import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { findUserByEmail, setLastLogin } from '../../infra/db/repos/users.js';
import { AppError } from '../errors.js';
import type { Devices } from './devices.js';
import { verifyAgainstDummy, verifyPassword } from './password-hash.js';
import type { LoginGuard } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import type { RequestMeta, SignedIn } from './types.js';
import { toPublicUser } from './view.js';

/** One answer for every failure, so a caller cannot learn which emails exist or which accounts are disabled. */
export const BAD_CREDENTIALS = 'Email or password is incorrect';

export async function login(
  deps: Deps,
  parts: { sessions: Sessions; guard: LoginGuard; devices: Devices },
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<SignedIn> {
  const { sessions, guard, devices } = parts;
  const attempt = { account: input.email, ip: meta.ip, deviceId: await devices.verify(meta.deviceToken, input.email) };
  const { trusted } = await guard.check(attempt);
  const user = await findUserByEmail(deps.database.db, input.email);
  // Always one argon2 verification, whether or not the account exists: equal work, equal timing.
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok || user.status !== 'active') {
    await guard.failed(attempt, trusted);
    throw new AppError('unauthorized', BAD_CREDENTIALS);
  }
  await guard.succeeded(attempt);
  const now = deps.clock();
  await setLastLogin(deps.database.db, user.id, now);
  const signedIn = await sessions.create(toPublicUser(user), meta);
  await insertAudit(deps.database.db, {
    actorUserId: user.id,
    action: 'user.login',
    targetType: 'user',
    targetId: user.id,
    details: { userAgent: meta.userAgent?.slice(0, 200) ?? null, knownDevice: trusted },
    ip: meta.ip,
  });
  // A known device keeps its cookie; any other browser becomes one now.
  const deviceToken = attempt.deviceId ? meta.deviceToken : await devices.issue(input.email);
  return { ...signedIn, deviceToken };
}
