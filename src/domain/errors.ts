/**
 * The one closed table of error codes (docs/api.md). Domain and infrastructure code throw `AppError`;
 * only the HTTP layer turns the code into a status.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  /** The admins require a second factor of this account: only enrolling it (and signing out) works until then. */
  mfa_required: 403,
  not_found: 404,
  /** The request's body did not arrive in time (answered by the HTTP server before any route). */
  request_timeout: 408,
  conflict: 409,
  /** The operator disabled or limited this key in CRS; an admin must release it first (docs/decisions/011). */
  operator_locked: 409,
  payload_too_large: 413,
  rate_limited: 429,
  /** The request's headers (cookies included) are larger than the server reads. */
  headers_too_large: 431,
  internal: 500,
  upstream_error: 502,
  upstream_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[] | Record<string, unknown>,
    /** Seconds, sent as `Retry-After` (rate limits, upstream back-off). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const badRequest = (path: string, message: string) =>
  new AppError('bad_request', `${path}: ${message}`, [{ path, message }]);

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
