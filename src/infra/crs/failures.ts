import { AppError } from '../../domain/errors.js';
import { networkFailure } from '../../lib/network-error.js';
import { CircuitOpenError } from './breaker.js';

/**
 * The one mapping of CRS failures to the portal's error codes (docs/crs.md §2 status table). Everything below the
 * client throws these internal failures; `toAppError` is the only place that turns them into AppError.
 */

/** No HTTP answer: connection refused/reset, DNS, or the per-call timeout fired. */
export class CrsTransportError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout',
    readonly endpoint: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(kind === 'timeout' ? `CRS timed out (${endpoint})` : `CRS unreachable (${endpoint})`, options);
    this.name = 'CrsTransportError';
  }
}

/** CRS answered with a non-2xx status. `body` is the parsed JSON, or undefined when it was not JSON. */
export class CrsHttpError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`CRS answered ${status} (${endpoint})`);
    this.name = 'CrsHttpError';
  }
}

/** CRS answered 2xx with a body the portal cannot use (not JSON, or not the documented shape). */
export class CrsInvalidResponse extends Error {
  constructor(
    readonly endpoint: string,
    readonly issue: string,
  ) {
    super(`CRS sent an unexpected response (${endpoint}): ${issue}`);
    this.name = 'CrsInvalidResponse';
  }
}

/** The message of every failure that is CRS refusing the portal's admin login (admin notifications tell it apart). */
export const CREDENTIALS_REJECTED = "CRS rejected the portal's admin credentials";

/** CRS refused the admin login (wrong CRS_ADMIN_USERNAME or CRS_ADMIN_PASSWORD). */
export class CrsCredentialsRejected extends Error {
  constructor() {
    super(CREDENTIALS_REJECTED);
    this.name = 'CrsCredentialsRejected';
  }
}

const field = (body: unknown, name: string): string | undefined => {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

/** CRS's human message: `message` when present, else `error` (400s put the detail in either). */
export function crsMessage(body: unknown): string | undefined {
  const m = field(body, 'message') ?? field(body, 'error');
  return m === undefined ? undefined : m.slice(0, 300);
}

/** PUT/DELETE of an unknown key answer 500 with this message, not 404 (docs/crs.md §2, quirk 3). */
export const isKeyNotFound500 = (status: number, body: unknown) =>
  status === 500 && field(body, 'message') === 'API key not found';

/** 503 while the cost-sort index rebuilds: CRS is healthy, the request may simply be repeated. */
export const isRankNotReady = (status: number, body: unknown) =>
  status === 503 && field(body, 'error') === 'RANK_NOT_READY';

/** Whether an HTTP status says CRS itself is unhealthy (counts towards opening the circuit). */
export const isServerFailure = (status: number, body: unknown) =>
  status >= 500 && !isKeyNotFound500(status, body) && !isRankNotReady(status, body);

/** Failures worth repeating for an idempotent read. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof CrsTransportError) return true;
  if (e instanceof CrsHttpError) return isServerFailure(e.status, e.body) || isRankNotReady(e.status, e.body);
  return false;
}

const KEY_ROUTE = /\/:id(\/|$)/;
const USER_STATS = 'POST /apiStats/api/user-stats';

export function toAppError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  if (e instanceof CrsCredentialsRejected) return new AppError('upstream_error', e.message);
  if (e instanceof CircuitOpenError) {
    const seconds = Math.max(1, Math.ceil(e.retryInMs / 1000));
    return new AppError(
      'upstream_unavailable',
      `CRS is unavailable after repeated failures; next attempt in ${seconds} s`,
      undefined,
      seconds,
    );
  }
  if (e instanceof CrsTransportError) {
    return e.kind === 'timeout'
      ? new AppError('upstream_unavailable', `CRS did not answer within ${e.timeoutMs} ms`, undefined, 5)
      : new AppError('upstream_unavailable', 'CRS is unreachable', undefined, 5);
  }
  if (e instanceof CrsInvalidResponse) {
    // A 2xx to a write is a write that happened, whatever its body: never report it as a refusal.
    if (!e.endpoint.startsWith('GET ')) {
      return new AppError('upstream_unavailable', `CRS's answer to a change could not be read (${e.endpoint})`);
    }
    return new AppError('upstream_error', `CRS sent a response the portal cannot read (${e.endpoint})`);
  }
  if (e instanceof CrsHttpError) return httpToAppError(e);
  return e;
}

function httpToAppError(e: CrsHttpError): AppError {
  const { status, body, endpoint } = e;
  if (isKeyNotFound500(status, body) || (status === 404 && KEY_ROUTE.test(endpoint))) {
    return new AppError('not_found', 'CRS API key not found');
  }
  // Per-key stats by id: 404 for an unknown or deleted key, 403 for a disabled or expired one (docs/crs.md §6).
  if ((status === 404 || status === 403) && endpoint === USER_STATS) {
    return new AppError('not_found', 'CRS keeps no live key with this id (unknown, deleted, disabled or expired)');
  }
  if (status === 400) {
    return new AppError('bad_request', `CRS rejected the request: ${crsMessage(body) ?? 'invalid input'}`);
  }
  // The session layer logs in again and retries once on 401; a 401 that reaches here came after a fresh login.
  if (status === 401) return new AppError('upstream_error', CREDENTIALS_REJECTED);
  if (isRankNotReady(status, body)) {
    return new AppError('upstream_unavailable', 'CRS is rebuilding its cost index; try again shortly', undefined, 10);
  }
  if (status >= 500) return new AppError('upstream_error', `CRS failed with HTTP ${status} (${endpoint})`);
  return new AppError('upstream_error', `CRS answered HTTP ${status} to ${endpoint}`);
}

/** The network cause of a failed fetch (undici hides it under `cause`, sometimes twice). */
function networkCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Why a CRS call failed, in words an operator can act on (health details, start-up log). */
export function failureReason(e: unknown): string {
  if (e instanceof CrsCredentialsRejected) return 'credentials rejected';
  if (e instanceof CircuitOpenError) return 'circuit open after repeated failures';
  if (e instanceof CrsTransportError) {
    if (e.kind === 'timeout') return `timeout: no answer within ${e.timeoutMs} ms`;
    const code = networkCode(e.cause);
    return code ? (networkFailure(code) ?? `network error (${code})`) : 'unreachable';
  }
  if (e instanceof CrsHttpError) return `HTTP ${e.status}`;
  if (e instanceof CrsInvalidResponse) return 'unexpected response';
  return e instanceof Error ? e.message : String(e);
}
