export type Role = 'user' | 'admin';

/** The public view of a user (api.md `user`). */
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
  user: PublicUser;
}

export interface SessionResolver {
  /** The session behind a raw token, or null when unknown, expired, revoked, or its user disabled. */
  resolve(token: string): Promise<AuthContext | null>;
}
