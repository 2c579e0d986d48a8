import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Metrics } from '../../infra/metrics/metrics.js';

/** What is recorded of each answer: one latency observation per route template, one access-log line. */
export type ObserveAnswer = (reqId: string, method: string, route: string, status: number, ms: number) => void;

export function answerObserver(log: FastifyBaseLogger, metrics: Metrics): ObserveAnswer {
  const accessLog = ['trace', 'debug', 'info'].includes(log.level);
  return (reqId, method, route, status, ms) => {
    metrics.httpDuration.record(method, route, status, ms / 1000);
    // Through the app's logger with the request id, like the per-request child would (without building it).
    if (accessLog) log.info({ reqId, method, route, status, ms: Math.round(ms * 10) / 10 }, 'request');
  };
}

/**
 * Per request: `x-request-id` on every answer, and the answer observed (answerObserver). Deliberately hand-rolled
 * and tiny: it runs on every hot cached read that the warm lane (../warm-lane.ts) leaves to Fastify.
 */
export function registerObservability(app: FastifyInstance, observe: ObserveAnswer): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    observe(req.id, req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
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
