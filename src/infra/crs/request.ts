import type { FastifyBaseLogger } from 'fastify';
import type { Breaker } from './breaker.js';
import {
  CrsCredentialsRejected,
  CrsHttpError,
  CrsInvalidResponse,
  CrsTransportError,
  failureReason,
  isRetryable,
  isServerFailure,
  toAppError,
} from './failures.js';
import { createSession, type Session } from './session.js';
import { type CrsRequest, type CrsResponse, endpointOf, ReaderFailure, type Transport } from './transport.js';

/**
 * The call pipeline: breaker → admin session (re-login on 401) → transport, retried with backoff for GETs only,
 * every failure mapped once to AppError. Creates and deletes are never retried: a lost answer may hide a write
 * that happened, and repeating a create would mint a second key.
 */
export interface RetryOptions {
  /** Total attempts for a GET (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RequesterOptions {
  transport: Transport;
  breaker: Breaker;
  username: string;
  password: string;
  timeoutMs: number;
  retry: RetryOptions;
  logger: FastifyBaseLogger;
}

export interface Requester {
  /** Resolves with `parse(body)` of a 2xx answer; rejects with AppError. */
  call<T>(req: CrsRequest, parse: (body: unknown) => T): Promise<T>;
  /** One attempt (no retry) of an authenticated request: whether it succeeded, and if not why, in words. */
  probe(req: CrsRequest): Promise<{ up: true } | { up: false; reason: string }>;
  session: Session;
}

const LOGIN = { method: 'POST', route: '/web/auth/login', anonymous: true } as const;

export function createRequester(opts: RequesterOptions): Requester {
  const { transport, breaker, logger, retry } = opts;

  async function attempt(req: CrsRequest, token: string | undefined): Promise<CrsResponse> {
    let ticket: ReturnType<Breaker['enter']>;
    try {
      // No await unless a probe is in flight: the first caller must become the probe synchronously.
      const probe = breaker.probeSettled();
      if (probe) await probe;
      ticket = breaker.enter();
    } catch (e) {
      transport.recordRejected(req);
      throw e;
    }
    try {
      const res = await transport.send(req, token, req.timeoutMs ?? opts.timeoutMs);
      if (isServerFailure(res.status, res.body)) ticket.failure();
      else ticket.success();
      return res;
    } catch (e) {
      // A reader's consumer failing (the sync's database write) says nothing about CRS.
      if (e instanceof ReaderFailure) ticket.success();
      else ticket.failure();
      throw e;
    }
  }

  async function login(): Promise<string> {
    // The body carries the password: it is only ever handed to fetch, never to the logger or an error.
    const res = await attempt({ ...LOGIN, body: { username: opts.username, password: opts.password } }, undefined);
    if (res.status === 400 || res.status === 401) {
      throw new CrsCredentialsRejected();
    }
    if (res.status < 200 || res.status >= 300) throw new CrsHttpError(endpointOf(LOGIN), res.status, res.body);
    const token = (res.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length < 16) {
      throw new CrsInvalidResponse(endpointOf(LOGIN), 'no token in the login answer');
    }
    logger.info({ endpoint: endpointOf(LOGIN) }, 'CRS admin login');
    return token;
  }

  const session = createSession(login);

  async function authed(req: CrsRequest): Promise<CrsResponse> {
    if (req.anonymous) return attempt(req, undefined);
    const token = await session.token();
    const res = await attempt(req, token);
    if (res.status !== 401) return res;
    logger.info({ endpoint: endpointOf(req) }, 'CRS admin session refused; logging in again');
    return attempt(req, await session.renew(token));
  }

  async function once<T>(req: CrsRequest, parse: (body: unknown) => T): Promise<T> {
    const res = await authed(req);
    if (res.status < 200 || res.status >= 300) throw new CrsHttpError(endpointOf(req), res.status, res.body);
    if (!res.json) throw new CrsInvalidResponse(endpointOf(req), 'body is not JSON');
    return parse(res.body);
  }

  async function call<T>(req: CrsRequest, parse: (body: unknown) => T): Promise<T> {
    const endpoint = endpointOf(req);
    const reads = (req.method === 'GET' && !req.noRetry) || req.retryable;
    const maxAttempts = reads ? Math.max(1, retry.attempts) : 1;
    for (let n = 1; ; n++) {
      try {
        return await once(req, parse);
      } catch (e) {
        if (e instanceof ReaderFailure) throw e.original;
        if (e instanceof CrsInvalidResponse) logger.warn({ endpoint, issue: e.issue }, 'unexpected CRS response');
        // Once the breaker has opened, further attempts would only fail fast: report the real cause instead.
        if (n >= maxAttempts || !isRetryable(e) || breaker.state() === 'open') throw toAppError(e);
        const delayMs = backoff(retry, n);
        logger.warn({ endpoint, attempt: n, reason: reason(e), delayMs }, 'CRS read failed; retrying');
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  async function probe(req: CrsRequest): Promise<{ up: true } | { up: false; reason: string }> {
    try {
      const res = await authed(req);
      if (res.status >= 200 && res.status < 300) return { up: true };
      // A token refused right after a fresh login: the account cannot use the admin API.
      if (res.status === 401) return { up: false, reason: 'credentials rejected' };
      return { up: false, reason: failureReason(new CrsHttpError(endpointOf(req), res.status, res.body)) };
    } catch (e) {
      return { up: false, reason: failureReason(e) };
    }
  }

  return { call, probe, session };
}

/** Exponential with "equal jitter": half the step is fixed, half random, so concurrent retries spread out. */
function backoff(retry: RetryOptions, n: number): number {
  const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (n - 1));
  return Math.round(step / 2 + (Math.random() * step) / 2);
}

function reason(e: unknown): string {
  if (e instanceof CrsTransportError) return failureReason(e);
  if (e instanceof CrsHttpError) return `HTTP ${e.status}`;
  return e instanceof Error ? e.name : 'unknown';
}
