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

/**
 * One problem with one field (docs/api.md §2). `message` is English for API clients; `code` and `params` say the
 * same for programs and for the web app, which words it in the reader's language.
 */
export interface FieldIssue {
  path: string;
  message: string;
  /** zod's issue code (`too_small`, `invalid_format`, …) or one of the portal's (ISSUE_CODES). */
  code?: string;
  /** What the wording needs: `minimum`, `maximum`, `format`, `values`, `field`, … */
  params?: Record<string, unknown>;
}

/**
 * The portal's own issue codes, for rules zod does not state (its codes: too_small, too_big, invalid_type,
 * invalid_format, invalid_value, unrecognized_keys, custom). Besides these, `too_big` and `required` are also
 * used for domain rules with zod's meaning.
 */
export type IssueCode =
  | 'too_big'
  | 'required'
  | 'required_with'
  | 'in_past'
  | 'incorrect'
  | 'invalid_invite'
  | 'invalid_setup_token'
  | 'operator_held';

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

export const badRequest = (path: string, message: string, code?: IssueCode, params?: Record<string, unknown>) =>
  new AppError('bad_request', `${path}: ${message}`, [issue(path, message, code, params)]);

/** A field issue with its code (and params) when it has them, and no empty keys when it has not. */
export function issue(path: string, message: string, code?: IssueCode, params?: Record<string, unknown>): FieldIssue {
  return { path, message, ...(code ? { code } : {}), ...(params ? { params } : {}) };
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
