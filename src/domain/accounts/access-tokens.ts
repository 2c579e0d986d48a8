import { randomBytes } from 'node:crypto';
import type { Deps } from '../../deps.js';
import {
  type AccessTokenRow,
  countLiveAccessTokens,
  findAccessTokenWithUser,
  insertAccessToken,
  listLiveAccessTokens,
  liveAccessTokenHashes,
  revokeAccessToken,
  revokeUserAccessTokens,
  touchAccessToken,
} from '../../infra/db/repos/access-tokens.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { AppError, badRequest, notFound } from '../errors.js';
import { LAST_USE_EVERY_MS, lastUseRecorder } from './last-use.js';
import { hashToken } from './tokens.js';
import type { AuthContext, RequestMeta, TokenScope } from './types.js';
import { toPublicUser } from './view.js';

/*
 * Personal access tokens for scripts and status bars (docs/decisions/026): `kpt_` + 256 random bits, shown once,
 * stored as SHA-256 only. A token authenticates like a session (same cache namespace, same hash per request) but
 * carries scopes: the route declaration says which scope it needs (src/http/route.ts `token`), and a route that
 * names none — the account, token and admin routes — refuses every token.
 */
export const TOKEN_PREFIX = 'kpt_';
const SHAPE = /^kpt_[A-Za-z0-9_-]{43}$/;
/** Live tokens per user: enough for every script and tool a person runs, not a table a script can fill. */
export const MAX_TOKENS_PER_USER = 50;
/** A token without an expiry is cached with this (it is revoked by deleting its cache entry). */
const NEVER = Number.MAX_SAFE_INTEGER;

export interface AccessTokenView {
  id: string;
  name: string;
  /** `kpt_` and the first 8 characters: enough to tell tokens apart, no help to a guesser. */
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export const looksLikeAccessToken = (token: string) => SHAPE.test(token);

const view = (r: AccessTokenRow): AccessTokenView => ({
  id: r.id,
  name: r.name,
  prefix: `${TOKEN_PREFIX}${r.hint}`,
  scopes: r.scopes,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt?.toISOString() ?? null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

export function createAccessTokens(deps: Deps) {
  const { db } = deps.database;
  const lastUse = lastUseRecorder(
    (id, now) => touchAccessToken(db, id, now, LAST_USE_EVERY_MS),
    (err) => deps.logger.warn({ err }, 'could not record token use'),
  );

  async function load(tokenHash: string): Promise<AuthContext | null> {
    const row = await findAccessTokenWithUser(db, tokenHash);
    if (!row || row.revokedAt || row.user.status !== 'active') return null;
    return {
      sessionId: row.id,
      tokenHash,
      expiresAt: row.expiresAt?.getTime() ?? NEVER,
      user: toPublicUser(row.user),
      method: 'token',
      // A token is refused while its user owes a second factor (plugins/auth.ts); enrolling drops these entries.
      mfaEnrolled: row.mfaEnrolled,
      scopes: row.scopes,
    };
  }

  /** A cached context is used only while the token lasts; each use is recorded (at most once a minute). */
  function live(value: AuthContext | null): AuthContext | null {
    if (!value) return null;
    const now = deps.clock();
    if (value.expiresAt <= now.getTime()) return null;
    lastUse.touch(value.sessionId, now);
    return value;
  }

  return {
    async resolve(token: string): Promise<AuthContext | null> {
      if (!looksLikeAccessToken(token)) return null;
      const tokenHash = hashToken(token);
      const { value } = await deps.cache.entries.accessToken(tokenHash).getOrLoad(() => load(tokenHash));
      return live(value);
    },

    resolveCached(token: string): AuthContext | null | undefined {
      if (!looksLikeAccessToken(token)) return null;
      const hit = deps.cache.entries.accessToken(hashToken(token)).peek();
      return hit && live(hit.value);
    },

    async create(
      auth: AuthContext,
      input: { name: string; scopes: TokenScope[]; expiresAt?: string | null },
      meta: RequestMeta,
    ): Promise<AccessTokenView & { token: string }> {
      const now = deps.clock();
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= now.getTime()) throw badRequest('expiresAt', 'must be in the future');
      if ((await countLiveAccessTokens(db, auth.user.id, now)) >= MAX_TOKENS_PER_USER) {
        throw new AppError('conflict', `At most ${MAX_TOKENS_PER_USER} tokens; revoke one first`);
      }
      const secret = randomBytes(32).toString('base64url');
      const token = `${TOKEN_PREFIX}${secret}`;
      const scopes = [...new Set(input.scopes)].sort();
      const row = await deps.database.transaction(async (tx) => {
        const created = await insertAccessToken(tx, {
          userId: auth.user.id,
          name: input.name,
          tokenHash: hashToken(token),
          hint: secret.slice(0, 8),
          scopes,
          expiresAt,
          now,
        });
        await insertAudit(tx, {
          actorUserId: auth.user.id,
          action: 'token.create',
          targetType: 'token',
          targetId: created.id,
          details: { name: input.name, scopes, expiresAt: expiresAt?.toISOString() ?? null },
          ip: meta.ip,
        });
        return created;
      });
      return { ...view(row), token };
    },

    async list(userId: string): Promise<AccessTokenView[]> {
      return (await listLiveAccessTokens(db, userId, deps.clock())).map(view);
    },

    /** 404 for an unknown id, another user's token and a revoked one alike; dead on every instance when it resolves. */
    async revoke(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
      const now = deps.clock();
      const tokenHash = await deps.database.transaction(async (tx) => {
        const hash = await revokeAccessToken(tx, auth.user.id, id, now);
        if (!hash) throw notFound('Token');
        await insertAudit(tx, {
          actorUserId: auth.user.id,
          action: 'token.revoke',
          targetType: 'token',
          targetId: id,
          ip: meta.ip,
        });
        return hash;
      });
      lastUse.forget(id);
      await deps.cache.entries.accessToken(tokenHash).delete();
    },

    /** Revokes every token of the user for good (a disabled account: re-enabling does not bring them back). */
    async revokeAll(userId: string): Promise<void> {
      const hashes = await revokeUserAccessTokens(db, userId, deps.clock());
      await Promise.all(hashes.map((h) => deps.cache.entries.accessToken(h).delete()));
    },

    /** Drops the cached contexts of the user's tokens (status, role or second factor changed). */
    async forgetUser(userId: string): Promise<void> {
      const hashes = await liveAccessTokenHashes(db, userId, deps.clock());
      await Promise.all(hashes.map((h) => deps.cache.entries.accessToken(h).delete()));
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
