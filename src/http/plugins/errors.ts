import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, type ErrorCode, type FieldIssue } from '../../domain/errors.js';
import { isDatabaseUnavailable } from '../../infra/db/errors.js';
import { drainBody } from './drain.js';

/** Turns every failure into the one error envelope of docs/api.md §2; nothing internal leaks to the client. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'internal') req.log.error({ err }, 'unhandled error');
    else if (appErr.code === 'upstream_unavailable' || appErr.code === 'upstream_error') {
      req.log.warn({ code: appErr.code, reason: appErr.message }, 'dependency failure');
    }
    // A body over the limit is read (up to a bound) before the answer: a client still sending it would otherwise
    // see a broken pipe instead of the 413 (Python's urllib, Node's http).
    if (appErr.code === 'payload_too_large') return drainBody(req, reply).then(() => sendError(req, reply, appErr));
    return sendError(req, reply, appErr);
  });
  app.setNotFoundHandler(sendRouteNotFound);
}

/**
 * Errors Fastify raises before any route runs (a URL that does not decode, e.g. `/api/keys/%c0`): the same envelope,
 * request id and security headers as every other answer (no hook runs for them, so the headers are set here).
 * For the `frameworkErrors` option.
 */
export function frameworkErrors(headers: Readonly<Record<string, string>>) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const appErr =
      err.code === 'FST_ERR_BAD_URL'
        ? new AppError('bad_request', 'url: malformed percent-encoding', [
            { path: 'url', message: 'malformed encoding' },
          ])
        : toAppError(err);
    reply.headers(headers);
    return sendError(req, reply, appErr);
  };
}

/** The answer for a path no route serves (also the web UI's fallback for what is not a page). */
export function sendRouteNotFound(req: FastifyRequest, reply: FastifyReply) {
  return sendError(req, reply, new AppError('not_found', `Route ${req.method} ${req.url.split('?')[0]} not found`));
}

export function sendError(req: FastifyRequest, reply: FastifyReply, e: AppError) {
  if (e.retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(e.retryAfter))));
  return reply
    .code(e.status)
    .header('x-request-id', req.id)
    .type('application/json; charset=utf-8')
    .send(errorJson(e, req.id));
}

/** The docs/api.md envelope as a string (also written raw to a socket by the client-error handler). */
export function errorJson(e: AppError, requestId: string): string {
  const body: Record<string, unknown> = { code: e.code, message: e.message, requestId };
  if (e.details !== undefined) body.details = e.details;
  return JSON.stringify({ error: body });
}

function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext === 'querystring' ? 'query' : err.validationContext;
    const details: FieldIssue[] = err.validation.map((v) => {
      // zod reports unknown fields on the parent object; name the field itself.
      const unknownKeys = (v.params as { keys?: string[] } | undefined)?.keys;
      const base = fieldPath(v.instancePath);
      const path = unknownKeys?.length ? unknownKeys.map((k) => (base ? `${base}.${k}` : k)).join(', ') : base;
      const params = issueParams(v.params);
      return {
        path: path || where || 'request',
        message: v.message ?? 'invalid',
        code: v.keyword,
        ...(params ? { params } : {}),
      };
    });
    const first = details[0];
    return new AppError('bad_request', first ? `${first.path}: ${first.message}` : 'Invalid request', details);
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError('upstream_unavailable', 'The database is unavailable; try again shortly');
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return new AppError('payload_too_large', 'Request body is too large');
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.name === 'SyntaxError') {
    return new AppError('bad_request', 'body: malformed JSON', [{ path: 'body', message: 'malformed JSON' }]);
  }
  if (status >= 400 && status < 500) {
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => ERROR_STATUS[c] === status) ?? 'bad_request';
    return new AppError(code, err.message);
  }
  return new AppError('internal', 'Internal server error');
}

/**
 * What of a zod issue a client may use to word it (docs/api.md §2): the bounds, the format, the allowed values.
 * Never the input (it may be a password) nor a format's regular expression (noise).
 */
const ISSUE_PARAMS = ['origin', 'minimum', 'maximum', 'inclusive', 'exact', 'format', 'expected', 'values', 'divisor'];

function issueParams(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const src = raw as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const name of ISSUE_PARAMS) {
    const v = src[name];
    // bigint bounds (z.bigint) would not serialise; none of our schemas has one, but a 500 here would hide the 400.
    if (v === undefined || typeof v === 'bigint') continue;
    out ??= {};
    out[name] = v;
  }
  return out;
}

/** "/limits/tokenLimit" → "limits.tokenLimit" */
function fieldPath(instancePath: string | undefined): string {
  return (instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
}
