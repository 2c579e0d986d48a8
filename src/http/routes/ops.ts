import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runMode } from '../../config.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../domain/errors.js';
import { timezoneLabel } from '../../domain/usage/range.js';
import type { Services } from '../../services.js';
import { hasMetricsToken, healthRoutes } from './health.js';

const metaSchema = z.object({
  mode: z.enum(['demo', 'production']),
  registration: z.enum(['open', 'invite', 'closed']),
  defaultMaxKeys: z.number(),
  /** 0 = no cap. */
  keyLimitCaps: z.object({
    tokenLimit: z.number(),
    dailyCostLimit: z.number(),
    totalCostLimit: z.number(),
    rateLimitRequests: z.number(),
    concurrencyLimit: z.number(),
    /** tokenLimit and rateLimitRequests caps are per this many minutes (KEY_RATE_LIMIT_WINDOW). */
    perWindowMinutes: z.number(),
  }),
  timezone: z.string(),
  version: z.string(),
  /** No admin yet: the register page asks for the setup token printed at start. */
  setupRequired: z.boolean(),
});

/** Probes and health (health.ts), /api/meta, and /metrics (Prometheus text). */
export async function opsRoutes(app: FastifyInstance, deps: Deps, services: Services): Promise<void> {
  await healthRoutes(app, deps, services);

  // Public facts the sign-up page and the key form need before anyone is signed in.
  const meta = {
    mode: runMode(deps.config),
    registration: deps.config.registration,
    defaultMaxKeys: deps.config.defaultMaxKeys,
    keyLimitCaps: deps.config.keyLimitCaps,
    timezone: timezoneLabel(deps.config.crs.timezoneOffset),
    version: deps.version,
  };
  app.get('/api/meta', { schema: { tags: ['ops'], response: { 200: metaSchema } } }, async () => ({
    ...meta,
    setupRequired: await services.accounts.setupRequired(),
  }));

  // With METRICS_TOKEN set only its bearer may scrape (per-route latencies, versions and memory help an
  // attacker); unset, /metrics is public, as Prometheus expects by default — keep the port off the internet.
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (deps.config.metricsToken && !hasMetricsToken(req, deps.config.metricsToken)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
