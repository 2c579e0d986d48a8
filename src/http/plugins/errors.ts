import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, type ErrorCode, type FieldIssue } from '../../domain/errors.js';
import { isDatabaseUnavailable } from '../../infra/db/errors.js';

/** Turns every failure into the one error envelope of api.md; nothing internal leaks to the client. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'internal') req.log.error({ err }, 'unhandled error');
    else if (appErr.code === 'upstream_unavailable' || appErr.code === 'upstream_error') {
      req.log.warn({ code: appErr.code, reason: appErr.message }, 'dependency failure');
    }
    return sendError(req, reply, appErr);
  });
  app.setNotFoundHandler(sendRouteNotFound);
}

/** The answer for a path no route serves (also the web UI's fallback for what is not a page). */
export function sendRouteNotFound(req: FastifyRequest, reply: FastifyReply) {
  return sendError(req, reply, new AppError('not_found', `Route ${req.method} ${req.url.split('?')[0]} not found`));
}

export function sendError(req: FastifyRequest, reply: FastifyReply, e: AppError) {
  if (e.retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(e.retryAfter))));
  const body: Record<string, unknown> = { code: e.code, message: e.message, requestId: req.id };
  if (e.details !== undefined) body.details = e.details;
  return reply
    .code(e.status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: body }));
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
      return { path: path || where || 'request', message: v.message ?? 'invalid' };
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

/** "/limits/tokenLimit" → "limits.tokenLimit" */
function fieldPath(instancePath: string | undefined): string {
  return (instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
}
