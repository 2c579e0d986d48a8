import type { FastifyInstance } from 'fastify';
import { runMode } from '../../config.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../domain/errors.js';
import { timezoneLabel } from '../../domain/usage/range.js';
import type { Services } from '../../services.js';
import { router } from '../route.js';
import { metaResponse } from '../schemas/ops.js';
import { hasMetricsToken, healthRoutes } from './health.js';

/** Probes and health (health.ts), /api/meta, and /metrics (Prometheus text). */
export async function opsRoutes(app: FastifyInstance, deps: Deps, services: Services): Promise<void> {
  await healthRoutes(app, deps, services);
  const r = router(app, ['ops']);

  // Public facts the sign-up page and the key form need before anyone is signed in.
  const meta = {
    mode: runMode(deps.config),
    registration: deps.config.registration,
    defaultMaxKeys: deps.config.defaultMaxKeys,
    keyLimitCaps: deps.config.keyLimitCaps,
    timezone: timezoneLabel(deps.config.crs.timezoneOffset),
    version: deps.version,
    sso: deps.config.oidc ? { name: deps.config.oidc.name, only: deps.config.oidc.ssoOnly } : null,
    mfaRememberDays: deps.config.mfaRememberDays,
  };
  r.get(
    '/api/meta',
    {
      access: { public: 'what the sign-up page needs: the policy, the caps, whether setup is pending' },
      summary: 'The public facts of this portal',
      response: { 200: metaResponse },
    },
    async () => ({ ...meta, setupRequired: await services.accounts.setupRequired() }),
  );

  // With METRICS_TOKEN set only its bearer may scrape (per-route latencies, versions and memory help an
  // attacker); unset, /metrics is public, as Prometheus expects by default — keep the port off the internet.
  r.get(
    '/metrics',
    {
      access: { public: 'Prometheus; only the METRICS_TOKEN bearer when that is set' },
      summary: 'Prometheus metrics',
      hide: true,
    },
    async (req, reply) => {
      if (deps.config.metricsToken && !hasMetricsToken(req, deps.config.metricsToken)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
}
