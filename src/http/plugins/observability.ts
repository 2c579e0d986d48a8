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
    metrics.httpDuration.record(req.method, route, reply.statusCode, ms / 1000);
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

/** Security headers (docs/product.md §5), set once per response without a per-request plugin pipeline. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
});

/**
 * The headers of every answer: under /api also `Cache-Control: no-store` — those answers carry personal data or a
 * secret (the key create answer holds the `cr_` key), and no browser or proxy cache may keep them. Static assets
 * keep their own caching. HSTS only when the portal's own origin (PUBLIC_URL) is https.
 */
export function responseHeaders(hsts: boolean) {
  const base: Record<string, string> = hsts
    ? { ...SECURITY_HEADERS, 'strict-transport-security': 'max-age=31536000' }
    : { ...SECURITY_HEADERS };
  return { page: Object.freeze(base), api: Object.freeze({ ...base, 'cache-control': 'no-store' }) };
}

export function registerSecurityHeaders(app: FastifyInstance, hsts: boolean): void {
  const { page, api } = responseHeaders(hsts);
  // One object per answer, picked by a prefix test: no per-request allocation, no promise.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.headers(req.url.startsWith('/api/') ? api : page);
    done(null, payload);
  });
}
