import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { findUserByEmail, setLastLogin } from '../../infra/db/repos/users.js';
import { AppError } from '../errors.js';
import type { Devices } from './devices.js';
import type { SecondFactor } from './mfa/second-factor.js';
import { NO_PASSWORD, verifyAgainstDummy, verifyPassword } from './password-hash.js';
import type { LoginGuard } from './rate-limit.js';
import type { RequestMeta, SignInResult } from './types.js';
import { toPublicUser } from './view.js';

/** One answer for every failure, so a caller cannot learn which emails exist or which accounts are disabled. */
export const BAD_CREDENTIALS = 'Email or password is incorrect';

/**
 * The password step of a sign-in: a session, or (with a second factor) a challenge for it. In "SSO only" mode
 * (docs/decisions/028) only the ADMIN_EMAIL account may use a password: the way in while the provider is down.
 */
export async function login(
  deps: Deps,
  parts: { second: SecondFactor; guard: LoginGuard; devices: Devices },
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<SignInResult> {
  const { second, guard, devices } = parts;
  if (deps.config.oidc?.ssoOnly && input.email !== deps.config.adminEmail) {
    throw new AppError('forbidden', 'This portal signs in through single sign-on only');
  }
  const attempt = { account: input.email, ip: meta.ip, deviceId: await devices.verify(meta.deviceToken, input.email) };
  const { trusted } = await guard.check(attempt);
  const user = await findUserByEmail(deps.database.db, input.email);
  // Always one argon2 verification, whether or not the account exists (or has a password): equal work and timing.
  const ok =
    user && user.passwordHash !== NO_PASSWORD
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyAgainstDummy(input.password);
  if (!user || !ok || user.status !== 'active') {
    await guard.failed(attempt, trusted);
    throw new AppError('unauthorized', BAD_CREDENTIALS);
  }
  await guard.succeeded(attempt);
  const now = deps.clock();
  await setLastLogin(deps.database.db, user.id, now);
  const result = await second.begin(toPublicUser(user), 'password', meta);
  await insertAudit(deps.database.db, {
    actorUserId: user.id,
    action: 'mfa' in result ? 'user.login_password' : 'user.login',
    targetType: 'user',
    targetId: user.id,
    details: { userAgent: meta.userAgent?.slice(0, 200) ?? null, knownDevice: trusted },
    ip: meta.ip,
  });
  // A known device keeps its cookie; any other browser becomes one now.
  const deviceToken = attempt.deviceId ? meta.deviceToken : await devices.issue(input.email);
  return { ...result, deviceToken };
}
