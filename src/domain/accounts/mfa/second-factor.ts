import { randomBytes } from 'node:crypto';
import type { Deps } from '../../../deps.js';
import { insertAudit } from '../../../infra/db/repos/audit.js';
import { failFlowAttempt, insertFlow, peekFlow, takeFlow } from '../../../infra/db/repos/auth-flows.js';
import {
  acceptTotpStep,
  findTotp,
  insertTrustedDevice,
  isTrustedDevice,
  spendRecoveryCode,
} from '../../../infra/db/repos/mfa.js';
import { findUserById } from '../../../infra/db/repos/users.js';
import { AppError, badRequest } from '../../errors.js';
import type { Budget, Limits } from '../../limits.js';
import type { Sessions } from '../sessions.js';
import { hashToken } from '../tokens.js';
import type { AuthMethod, PublicUser, RequestMeta, SignedIn, SignInResult } from '../types.js';
import { toPublicUser } from '../view.js';
import { recoveryCodeHash } from './recovery-codes.js';
import { checkTotp } from './totp.js';

/** A challenge lasts five minutes and allows five wrong codes; then the sign-in starts again with the password. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_ATTEMPTS = 5;
/** Wrong second factors per user, across challenges: knowing the password buys no more than this. */
export const SECOND_FACTOR_LIMIT: Budget = { max: 10, windowMs: 15 * 60_000 };
const CHALLENGE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface Proof {
  code?: string;
  recoveryCode?: string;
}

type FirstFactor = 'password' | 'sso';

/**
 * The second step of a sign-in (docs/decisions/027): after the password or the OpenID Provider, a user with a
 * TOTP factor gets a challenge instead of a session, unless the browser was remembered; the challenge and a
 * current code (or an unused recovery code) make the session. Wrong codes spend the challenge's five attempts and
 * the user's budget; a code of an already used time step is refused (replay), on every instance alike.
 */
export function createSecondFactor(deps: Deps, parts: { sessions: Sessions; limits: Limits }) {
  const { db } = deps.database;
  const { sessions, limits } = parts;
  const rememberMs = deps.config.mfaRememberDays * 86_400_000;

  /** Checks a code or a recovery code for the user (recording its use); throws a 400 naming the field when wrong. */
  async function prove(userId: string, proof: Proof): Promise<'totp' | 'recovery'> {
    const budget = `mfa:${userId}`;
    await limits.check(budget, SECOND_FACTOR_LIMIT, 'Too many wrong codes; try again later');
    const now = deps.clock();
    const wrong = async (field: 'code' | 'recoveryCode') => {
      await limits.record(budget, SECOND_FACTOR_LIMIT);
      return badRequest(
        field,
        field === 'code' ? 'the code is wrong or was used already' : 'unknown or used recovery code',
      );
    };
    if (proof.recoveryCode !== undefined) {
      const hash = recoveryCodeHash(proof.recoveryCode);
      if (!hash || !(await spendRecoveryCode(db, userId, hash, now))) throw await wrong('recoveryCode');
      await insertAudit(db, {
        actorUserId: userId,
        action: 'mfa.recovery_code_used',
        targetType: 'user',
        targetId: userId,
      });
      return 'recovery';
    }
    const totp = await findTotp(db, userId);
    if (!totp?.confirmedAt) throw new AppError('conflict', 'Two-factor authentication is not on for this account');
    const step = await checkTotp(totp.secret, proof.code ?? '', now, totp.lastStep);
    // The conditional write makes "used once" hold across instances and concurrent requests.
    if (step === undefined || !(await acceptTotpStep(db, userId, step, now, false))) throw await wrong('code');
    return 'totp';
  }

  async function remember(userId: string): Promise<string | undefined> {
    if (rememberMs <= 0) return undefined;
    const token = randomBytes(32).toString('base64url');
    const now = deps.clock();
    await insertTrustedDevice(db, {
      tokenHash: hashToken(token),
      userId,
      now,
      expiresAt: new Date(now.getTime() + rememberMs),
    });
    return token;
  }

  return {
    prove,

    /** After the first factor: a session, or a challenge when the user has a second factor to give. */
    async begin(user: PublicUser, first: FirstFactor, meta: RequestMeta): Promise<SignInResult> {
      const totp = await findTotp(db, user.id);
      if (!totp?.confirmedAt) return sessions.create(user, meta, first);
      const now = deps.clock();
      const known = meta.trustedDeviceToken;
      if (known && CHALLENGE_SHAPE.test(known) && (await isTrustedDevice(db, user.id, hashToken(known), now))) {
        return sessions.create(user, meta, `${first}+device`);
      }
      const challenge = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
      await insertFlow(db, {
        idHash: hashToken(challenge),
        kind: 'mfa',
        userId: user.id,
        data: { first },
        now,
        expiresAt,
      });
      return { mfa: { challenge, expiresAt: expiresAt.toISOString(), methods: ['totp', 'recovery'] } };
    },

    /** The challenge and a code: the session (and a remembered-browser token when asked and allowed). */
    async verify(input: Proof & { challenge: string; remember?: boolean }, meta: RequestMeta): Promise<SignedIn> {
      const gone = () => new AppError('unauthorized', 'The sign-in expired or was used; sign in again');
      if (!CHALLENGE_SHAPE.test(input.challenge)) throw gone();
      const idHash = hashToken(input.challenge);
      const flow = await peekFlow(db, idHash, 'mfa', deps.clock());
      if (!flow?.userId) throw gone();
      let method: 'totp' | 'recovery';
      try {
        method = await prove(flow.userId, input);
      } catch (e) {
        if (e instanceof AppError && e.code === 'bad_request') {
          await failFlowAttempt(db, idHash, 'mfa', CHALLENGE_ATTEMPTS, deps.clock());
        }
        throw e;
      }
      // Taken only now, and only once: two requests with two good codes cannot both sign in.
      if (!(await takeFlow(db, idHash, 'mfa', deps.clock()))) throw gone();
      const row = await findUserById(db, flow.userId);
      if (row?.status !== 'active') throw gone();
      const how: AuthMethod =
        flow.data.first === 'sso'
          ? method === 'totp'
            ? 'sso+totp'
            : 'sso+recovery'
          : method === 'totp'
            ? 'password+totp'
            : 'password+recovery';
      const signedIn = await sessions.create(toPublicUser(row), meta, how);
      await insertAudit(db, {
        actorUserId: row.id,
        action: 'user.login',
        targetType: 'user',
        targetId: row.id,
        details: { method: how, remember: Boolean(input.remember) },
        ip: meta.ip,
      });
      const trustedDeviceToken = input.remember ? await remember(row.id) : undefined;
      return { ...signedIn, trustedDeviceToken };
    },
  };
}

export type SecondFactor = ReturnType<typeof createSecondFactor>;
