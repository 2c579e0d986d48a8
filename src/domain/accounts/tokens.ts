import { hash, randomBytes } from 'node:crypto';

/** 32 random bytes = 256 bits, base64url without padding: always 43 characters of [A-Za-z0-9_-]. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this hash is stored and cached: a database or Redis dump does not hand out working sessions. Runs on
 * every authenticated request: the one-shot `crypto.hash` costs half of a createHash/update/digest chain.
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Anything that cannot be one of our tokens is refused before it costs a hash, a cache entry or a query:
 * random garbage must not fill the `auth` namespace with "not found" entries.
 */
export function looksLikeToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
