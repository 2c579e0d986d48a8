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

/** Who is calling: resolved from a session token on every authenticated request. */
export interface AuthContext {
  sessionId: string;
  /** SHA-256 hex of the session token: the cache key and the revocation handle. */
  tokenHash: string;
  /**
   * Epoch milliseconds (a number, so it survives the JSON round trip through Redis unchanged). Checked on every
   * resolve, so a cached context never outlives its session.
   */
  expiresAt: number;
  user: PublicUser;
}

export interface SessionResolver {
  /** The session behind a raw token, or null when unknown, expired, revoked, or its user disabled. */
  resolve(token: string): Promise<AuthContext | null>;
  /**
   * The same answer synchronously when this process's memory already has it (the hot path of every
   * authenticated request), or undefined when it takes a lookup: then call resolve.
   */
  resolveCached(token: string): AuthContext | null | undefined;
}

/** Where a request came from: stored on the session and in the audit log. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  /** The browser's device cookie, if it sent one (sign-in limits, docs/decisions/014). */
  deviceToken?: string;
}

/** What register and login answer: the raw token leaves the server exactly once, here. */
export interface SignedIn {
  user: PublicUser;
  token: string;
  expiresAt: string;
  /** For the device cookie (never in the answer's body). */
  deviceToken?: string;
}

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
}
