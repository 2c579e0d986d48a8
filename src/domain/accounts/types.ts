export type Role = 'user' | 'admin';
export type UserStatus = 'active' | 'disabled';

/** The public view of a user (docs/api.md `user`). */
export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
}

/** What a personal access token may call (docs/decisions/026): `read` usage, limits and keys; `keys` change keys. */
export type TokenScope = 'read' | 'keys';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'keys'];

/** Who must have a second factor (docs/decisions/027), set by an admin. */
export type MfaPolicy = 'off' | 'admins' | 'everyone';

/**
 * How a session was signed in: the first factor (`password`, `sso`), then the second one if any (`+totp`,
 * `+recovery`, `+device` for a remembered browser). A personal access token's context says `token`.
 */
export type AuthMethod = `${'password' | 'sso'}${'' | '+totp' | '+recovery' | '+device'}` | 'token';

/** Who is calling: resolved from a session token (or a personal access token) on every authenticated request. */
export interface AuthContext {
  /** The session's id; for a personal access token, the token's id. */
  sessionId: string;
  /** SHA-256 hex of the session token: the cache key and the revocation handle. */
  tokenHash: string;
  /**
   * Epoch milliseconds (a number, so it survives the JSON round trip through Redis unchanged). Checked on every
   * resolve, so a cached context never outlives its session.
   */
  expiresAt: number;
  user: PublicUser;
  method: AuthMethod;
  /** The user has a confirmed TOTP factor: without one, a 2FA requirement lets the caller only enrol. */
  mfaEnrolled: boolean;
  /** Set for a personal access token only: the routes it may call (a session has none, and no limit). */
  scopes?: TokenScope[];
}

export interface SessionResolver {
  /** The session behind a raw token, or null when unknown, expired, revoked, or its user disabled. */
  resolve(token: string): Promise<AuthContext | null>;
  /**
   * The same answer synchronously when this process's memory already has it (the hot path of every
   * authenticated request), or undefined when it takes a lookup: then call resolve.
   */
  resolveCached(token: string): AuthContext | null | undefined;
  /** Whether the 2FA policy requires a second factor of this role (synchronous: it runs on every request). */
  mfaRequiredFor(role: Role): boolean;
}

/** Where a request came from: stored on the session and in the audit log. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  /** The browser's device cookie, if it sent one (sign-in limits, docs/decisions/014). */
  deviceToken?: string;
  /** The browser's "remembered for the second factor" cookie, if it sent one (docs/decisions/027). */
  trustedDeviceToken?: string;
}

/** What register and login answer: the raw token leaves the server exactly once, here. */
export interface SignedIn {
  user: PublicUser;
  token: string;
  expiresAt: string;
  /** For the device cookie (never in the answer's body). */
  deviceToken?: string;
  /** For the "remember this browser" cookie after a second factor (never in the answer's body). */
  trustedDeviceToken?: string;
}

/** The first factor was right; a second one is owed (POST /api/auth/mfa/verify with this challenge). */
export interface MfaPending {
  mfa: { challenge: string; expiresAt: string; methods: ('totp' | 'recovery')[] };
  deviceToken?: string;
}

export type SignInResult = SignedIn | MfaPending;

export const isMfaPending = (r: SignInResult): r is MfaPending => 'mfa' in r;

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface RegisterInput {
  /** Already trimmed and lowercased by the HTTP schema. */
  email: string;
  password: string;
  displayName?: string;
  inviteCode?: string;
  /** The one-time token printed at the first start without an admin: this registration becomes the admin. */
  setupToken?: string;
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
  method: string;
}
