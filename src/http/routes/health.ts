import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runMode } from '../../config.js';
import type { Deps } from '../../deps.js';
import { within } from '../../lib/within.js';
import type { Services } from '../../services.js';
import { CHECK_BOUND_MS, type CheckResult, createHealthChecks } from '../health-checks.js';
import { sessionToken } from '../plugins/auth.js';
import { router } from '../route.js';
import { healthResponse, probeResponse } from '../schemas/ops.js';

/** The same secret, compared in constant time (digests first: timingSafeEqual needs equal lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (false when no token is configured). */
export function hasMetricsToken(req: FastifyRequest, token: string | undefined): boolean {
  const found = sessionToken(req);
  return Boolean(token && found?.via === 'bearer' && sameSecret(found.token, token));
}

/**
 * Probes for load balancers and Kubernetes, and the health summary. None waits on a hung dependency: every
 * check is bounded and cached (health-checks.ts).
 * - /livez: the process answers (no dependency), so a restart would not help otherwise.
 * - /readyz: the database answers, so requests can be served; Redis or CRS down do not make an instance unready
 *   (stats are served from the database and the stale cache), since every instance would be pulled alike.
 * - /api/health: each dependency up/down publicly; reasons, latencies, alerts and versions only for admins
 *   and the METRICS_TOKEN bearer (what an attacker should not learn).
 */
export async function healthRoutes(app: FastifyInstance, deps: Deps, services: Services): Promise<void> {
  const checks = createHealthChecks(deps);
  const r = router(app, ['ops']);
  const probe = 'load balancers and Kubernetes: says only that it answers, nothing else';

  r.get(
    '/livez',
    { access: { public: probe }, summary: 'Liveness: the process answers', response: { 200: probeResponse } },
    async () => ({ status: 'ok' as const }),
  );

  r.get(
    '/readyz',
    {
      access: { public: probe },
      summary: 'Readiness: the database answers',
      response: { 200: probeResponse, 503: probeResponse },
    },
    async (_req, reply) => {
      const db = await checks.db();
      reply.code(db.status === 'up' ? 200 : 503);
      return { status: db.status === 'up' ? ('ready' as const) : ('unready' as const) };
    },
  );

  /** An admin session (looked up within the bound: a slow database must not hold the probe) or the token. */
  async function privileged(req: FastifyRequest): Promise<boolean> {
    if (hasMetricsToken(req, deps.config.metricsToken)) return true;
    const found = sessionToken(req);
    if (!found) return false;
    const cached = services.accounts.resolveCached(found.token);
    if (cached !== undefined) return cached?.user.role === 'admin';
    const auth = await within(
      services.accounts.resolve(found.token).catch(() => null),
      CHECK_BOUND_MS,
      null,
    );
    return auth?.user.role === 'admin';
  }

  r.get(
    '/api/health',
    {
      access: { public: 'load balancers: up/down only; the details need an admin or the METRICS_TOKEN bearer' },
      summary: 'Each dependency up or down (details for admins)',
      response: { 200: healthResponse, 503: healthResponse },
    },
    async (req, reply) => {
      const [db, redis, crs, detailed] = await Promise.all([
        checks.db(),
        checks.redis(),
        checks.crs(),
        privileged(req),
      ]);
      const alerts = services.admin.alerts.current();
      const degraded = db.status === 'down' || redis.status === 'down' || crs.status === 'down' || alerts.length > 0;
      reply.code(db.status === 'down' ? 503 : 200);
      const summary = {
        status: degraded ? ('degraded' as const) : ('ok' as const),
        checks: { db: db.status, redis: redis.status, crs: crs.status },
      };
      if (!detailed) return summary;
      return {
        ...summary,
        details: { db: view(db), redis: view(redis), crs: view(crs) },
        alerts,
        instance: { id: services.jobs.leader.instanceId, leader: services.jobs.leader.isLeader() },
        mode: runMode(deps.config),
        version: deps.version,
      };
    },
  );
}

const view = (c: CheckResult) => ({ ...c, checkedAt: new Date(c.checkedAt).toISOString() });
