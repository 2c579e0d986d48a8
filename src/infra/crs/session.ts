/**
 * The admin session token, kept in memory only. CRS sessions slide (24 h idle) and every login creates a new
 * one (docs/crs.md §3), so the client logs in lazily, keeps the token, and logs in again on a 401 — one login at
 * a time: callers that hit 401 together share the same login and then retry with its token.
 */
export interface Session {
  /** The current token, logging in first when there is none. */
  token(): Promise<string>;
  /** A call was refused with `stale`: returns a newer token, logging in at most once for all such callers. */
  renew(stale: string): Promise<string>;
  /** Number of logins performed (for diagnostics). */
  logins(): number;
}

export function createSession(login: () => Promise<string>): Session {
  let current: string | undefined;
  let pending: Promise<string> | undefined;
  let count = 0;

  const loginOnce = (): Promise<string> => {
    if (!pending) {
      count += 1;
      pending = login().then(
        (token) => {
          current = token;
          pending = undefined;
          return token;
        },
        (e: unknown) => {
          pending = undefined;
          throw e;
        },
      );
    }
    return pending;
  };

  return {
    token: () => (current !== undefined ? Promise.resolve(current) : loginOnce()),
    renew(stale) {
      // Someone else already replaced the refused token: use theirs instead of logging in again.
      if (current !== undefined && current !== stale) return Promise.resolve(current);
      current = undefined;
      return loginOnce();
    },
    logins: () => count,
  };
}
