import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../infra/metrics/metrics.js';

/**
 * Per request: `x-request-id` on every answer, one latency observation per route template, one access-log line.
 * Deliberately hand-rolled and tiny: it runs on every hot cached read.
 */
export function registerObservability(app: FastifyInstance, metrics: Metrics): void {
  const accessLog = ['trace', 'debug', 'info'].includes(app.log.level);
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    metrics.httpDuration.observe({ method: req.method, route, status: reply.statusCode }, ms / 1000);
    if (accessLog) {
      // Through the app's logger with the request id, like the per-request child would (without building it).
      app.log.info(
        { reqId: req.id, method: req.method, route, status: reply.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    }
    done();
  });
}

/** Security headers (product.md §5), set once per response without a per-request plugin pipeline. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

export function registerSecurityHeaders(app: FastifyInstance, https: boolean): void {
  const headers = https ? { ...SECURITY_HEADERS, 'strict-transport-security': 'max-age=31536000' } : SECURITY_HEADERS;
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.headers(headers);
    done(null, payload);
  });
}
