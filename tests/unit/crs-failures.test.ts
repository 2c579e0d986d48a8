import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { CircuitOpenError } from '../../src/infra/crs/breaker.js';
import {
  CrsHttpError,
  CrsInvalidResponse,
  CrsTransportError,
  isRetryable,
  isServerFailure,
  toAppError,
} from '../../src/infra/crs/failures.js';

const mapped = (e: unknown) => {
  const r = toAppError(e);
  expect(r).toBeInstanceOf(AppError);
  return r as AppError;
};
const http = (endpoint: string, status: number, body: unknown) => new CrsHttpError(endpoint, status, body);

describe('CRS failure → AppError mapping', () => {
  it.each([
    [new CrsTransportError('unreachable', 'GET /admin/api-keys', 2000), 'upstream_unavailable', 'CRS is unreachable'],
    [new CrsTransportError('timeout', 'GET /admin/api-keys', 2000), 'upstream_unavailable', 'within 2000 ms'],
    [new CircuitOpenError(4200), 'upstream_unavailable', 'next attempt in 5 s'],
    [
      http('PUT /admin/api-keys/:id', 500, { error: 'Failed to update API key', message: 'API key not found' }),
      'not_found',
      'not found',
    ],
    [
      http('DELETE /admin/api-keys/:id', 500, { error: 'Failed to delete API key', message: 'API key not found' }),
      'not_found',
      'not found',
    ],
    [http('PATCH /admin/api-keys/:id/expiration', 404, { error: 'API key not found' }), 'not_found', 'not found'],
    [http('DELETE /admin/api-keys/:id/permanent', 404, { error: 'API Key 不存在' }), 'not_found', 'not found'],
    [
      http('POST /admin/api-keys', 400, { error: 'Name is required and must be a non-empty string' }),
      'bad_request',
      'Name is required',
    ],
    [http('PUT /admin/api-keys/:id', 400, { error: 'isActive must be a boolean' }), 'bad_request', 'isActive'],
    [http('GET /admin/api-keys', 401, { error: 'Invalid admin token' }), 'upstream_error', 'admin credentials'],
    [http('GET /admin/api-keys', 503, { success: false, error: 'RANK_NOT_READY' }), 'upstream_unavailable', 'cost'],
    [http('GET /admin/dashboard', 500, { error: 'Internal Server Error' }), 'upstream_error', 'HTTP 500'],
    [http('GET /admin/dashboard', 502, undefined), 'upstream_error', 'HTTP 502'],
    [http('GET /admin/no-such-route', 404, { error: 'Not Found' }), 'upstream_error', 'HTTP 404'],
    [
      new CrsInvalidResponse('GET /admin/usage-stats', 'data.stats: expected an array'),
      'upstream_error',
      'cannot read',
    ],
    // A 2xx to a write happened whatever its body: an unknown outcome, never a refusal.
    [
      new CrsInvalidResponse('PUT /admin/api-keys/:id', 'body is not JSON'),
      'upstream_unavailable',
      'could not be read',
    ],
  ])('%s → %s', (failure, code, text) => {
    const e = mapped(failure);
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
  });

  it('upstream_unavailable carries a Retry-After', () => {
    expect(mapped(new CircuitOpenError(9100)).retryAfter).toBe(10);
    expect(mapped(new CrsTransportError('timeout', 'GET /health', 1)).retryAfter).toBeGreaterThan(0);
  });

  it('passes AppError and programming errors through unchanged', () => {
    const app = new AppError('conflict', 'x');
    const bug = new TypeError('bug');
    expect(toAppError(app)).toBe(app);
    expect(toAppError(bug)).toBe(bug);
  });
});

describe('what counts as a CRS failure', () => {
  it.each([
    [500, { message: 'boom' }, true],
    [502, undefined, true],
    [500, { message: 'API key not found' }, false],
    [503, { error: 'RANK_NOT_READY' }, false],
    [404, {}, false],
    [401, {}, false],
  ])('HTTP %i %j opens the circuit: %s', (status, body, expected) => {
    expect(isServerFailure(status, body)).toBe(expected);
  });

  it.each([
    [new CrsTransportError('timeout', 'GET /x', 1), true],
    [new CrsTransportError('unreachable', 'GET /x', 1), true],
    [http('GET /x', 500, {}), true],
    [http('GET /x', 503, { error: 'RANK_NOT_READY' }), true],
    [http('GET /x', 400, {}), false],
    [http('GET /x', 404, {}), false],
    [new CircuitOpenError(1), false],
    [new CrsInvalidResponse('GET /x', 'bad'), false],
  ])('%s is retryable: %s', (e, expected) => {
    expect(isRetryable(e)).toBe(expected);
  });
});
