import type { Deps } from '../../../deps.js';
import { insertAudit } from '../../../infra/db/repos/audit.js';
import {
  acceptTotpStep,
  countTrustedDevices,
  countUnusedRecoveryCodes,
  deleteTotp,
  deleteTrustedDevices,
  findTotp,
  replaceRecoveryCodes,
  startTotp,
} from '../../../infra/db/repos/mfa.js';
import { AppError, badRequest } from '../../errors.js';
import type { AuthContext, RequestMeta } from '../types.js';
import type { MfaPolicyStore } from './policy.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import type { SecondFactor } from './second-factor.js';
import { checkTotp, enrolment, newTotpSecret } from './totp.js';

export interface MfaStatus {
  totp: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
  rememberedDevices: number;
  /** The admins' policy requires a second factor of this user. */
  required: boolean;
}

/**
 * Enrolment and management of the second factor (docs/decisions/027). Each change drops the cached contexts of
 * the user's sessions and tokens (`forgetUser`), so "has a second factor" is current on the next request.
 */
export function createEnrolment(
  deps: Deps,
  parts: { policy: MfaPolicyStore; factor: SecondFactor; forgetUser: (userId: string) => Promise<void> },
) {
  const { db } = deps.database;
  const { policy, factor, forgetUser } = parts;
  const audit = (auth: AuthContext, action: string, meta: RequestMeta, details?: Record<string, unknown>) => ({
    actorUserId: auth.user.id,
    action,
    targetType: 'user' as const,
    targetId: auth.user.id,
    details,
    ip: meta.ip,
  });

  async function freshCodes(userId: string, tx = db): Promise<string[]> {
    const codes = newRecoveryCodes();
    await replaceRecoveryCodes(tx, userId, codes.map(hashRecoveryCode), deps.clock());
    return codes;
  }

  return {
    async status(auth: AuthContext): Promise<MfaStatus> {
      const now = deps.clock();
      const [totp, left, devices] = await Promise.all([
        findTotp(db, auth.user.id),
        countUnusedRecoveryCodes(db, auth.user.id),
        countTrustedDevices(db, auth.user.id, now),
      ]);
      const on = Boolean(totp?.confirmedAt);
      return {
        totp: on,
        enrolledAt: totp?.confirmedAt?.toISOString() ?? null,
        recoveryCodesLeft: on ? left : 0,
        rememberedDevices: on ? devices : 0,
        required: policy.requires(auth.user.role),
      };
    },

    /** A new secret to scan; replaces an unconfirmed one. 409 when a confirmed factor exists. */
    async setup(auth: AuthContext): Promise<{ secret: string; uri: string; qrSvg: string }> {
      const secret = newTotpSecret();
      if (!(await startTotp(db, auth.user.id, secret, deps.clock()))) {
        throw new AppError('conflict', 'Two-factor authentication is on already; turn it off first');
      }
      return { secret, ...enrolment(secret, deps.config.mfaIssuer, auth.user.email) };
    },

    /** The first code from the app turns the factor on; the answer holds the recovery codes, shown this once. */
    async confirm(auth: AuthContext, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
      const totp = await findTotp(db, auth.user.id);
      if (!totp || totp.confirmedAt) throw new AppError('conflict', 'Start the set-up first');
      const now = deps.clock();
      const step = await checkTotp(totp.secret, code, now, totp.lastStep);
      if (step === undefined) throw badRequest('code', 'the code does not match; check the app and the clock');
      const codes = await deps.database.transaction(async (tx) => {
        if (!(await acceptTotpStep(tx, auth.user.id, step, now, true))) {
          throw badRequest('code', 'the code does not match; check the app and the clock');
        }
        await insertAudit(tx, audit(auth, 'mfa.enrol', meta, { method: 'totp' }));
        return freshCodes(auth.user.id, tx);
      });
      await forgetUser(auth.user.id);
      return { recoveryCodes: codes };
    },

    /**
     * Turns the factor off after a current code (or a recovery code): a stolen session alone cannot. Refused while
     * the admins' policy requires a second factor of this user.
     */
    async disable(auth: AuthContext, proof: { code?: string; recoveryCode?: string }, meta: RequestMeta) {
      if (policy.requires(auth.user.role)) {
        throw new AppError('forbidden', 'Two-factor authentication is required on this portal');
      }
      await factor.prove(auth.user.id, proof);
      await deps.database.transaction(async (tx) => {
        await deleteTotp(tx, auth.user.id);
        await replaceRecoveryCodes(tx, auth.user.id, [], deps.clock());
        await deleteTrustedDevices(tx, auth.user.id);
        await insertAudit(tx, audit(auth, 'mfa.disable', meta, { method: 'totp' }));
      });
      await forgetUser(auth.user.id);
    },

    /** New recovery codes after a current code; the old ones stop working. */
    async regenerate(auth: AuthContext, proof: { code?: string; recoveryCode?: string }, meta: RequestMeta) {
      await factor.prove(auth.user.id, proof);
      return deps.database.transaction(async (tx) => {
        const codes = await freshCodes(auth.user.id, tx);
        await insertAudit(tx, audit(auth, 'mfa.recovery_codes', meta));
        return { recoveryCodes: codes };
      });
    },

    /** Every remembered browser asks for the second factor again. */
    async forgetDevices(auth: AuthContext, meta: RequestMeta): Promise<void> {
      const n = await deleteTrustedDevices(db, auth.user.id);
      await insertAudit(db, audit(auth, 'mfa.forget_devices', meta, { devices: n }));
    },
  };
}

export type Enrolment = ReturnType<typeof createEnrolment>;
