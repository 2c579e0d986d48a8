import { networkFailure } from '../../lib/network-error.js';

/**
 * Start-up diagnostics of the database connection: what an operator needs to fix DATABASE_URL, never the
 * password. `pg` reports the server's refusals as SQLSTATE codes and the network's as Node error codes.
 */

/** The URL without its password: `postgres://portal@db:5432/portal`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

const SQLSTATE: Record<string, string> = {
  '28P01': 'password authentication failed',
  '3D000': 'database does not exist',
  '57P03': 'the database is starting up or shutting down',
  '53300': 'too many connections',
};

/**
 * Why a database call failed, in words: the server's own message when it gave one (it names the role or
 * database), the network's cause otherwise. Never drizzle's wrapper, whose message holds the SQL and its
 * parameters.
 */
export function databaseFailureCause(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; errors?: unknown[]; cause?: unknown };
  if (isQueryError(err) && e.cause) return databaseFailureCause(e.cause);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    // The server's message names the role or database ("role "x" does not exist"); it never holds a password.
    return code === '28P01' ? SQLSTATE[code] : message || SQLSTATE[code] || `SQLSTATE ${code}`;
  }
  const network = code && networkFailure(code);
  if (network) return network;
  // Several addresses tried (e.g. localhost → ::1 and 127.0.0.1): each failed the same way, report the first.
  if (Array.isArray(e?.errors) && e.errors.length) return databaseFailureCause(e.errors[0]);
  if (/timeout/i.test(message)) return 'timed out: no answer from the server';
  if (/password must be a string|SASL/i.test(message)) return 'the server asks for a password and none was given';
  if (e?.cause) return databaseFailureCause(e.cause);
  return message;
}

/** Drizzle's wrapper of a failed statement (its class sets no `name` of its own). */
const isQueryError = (err: unknown) => {
  const e = err as { name?: unknown; constructor?: { name?: unknown } } | null;
  return e?.name === 'DrizzleQueryError' || e?.constructor?.name === 'DrizzleQueryError';
};

/** A failure for the log: a failed statement by its cause (never its SQL or parameters), anything else as it is. */
export function failureMessage(err: unknown): string {
  if (isQueryError(err)) return databaseFailureCause(err);
  return err instanceof Error ? err.message : String(err);
}

/** The one line printed when the database cannot be reached at start. */
export function databaseStartupMessage(url: string, err: unknown): string {
  return `DATABASE_URL: cannot connect to ${redactDatabaseUrl(url)}: ${databaseFailureCause(err)}`;
}
