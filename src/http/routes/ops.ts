import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runMode } from '../../config.js';
import type { Deps } from '../../deps.js';
import { timezoneLabel } from '../../domain/usage/range.js';
import type { Services } from '../../services.js';

const check = z.object({ status: z.enum(['up', 'down', 'disabled']), message: z.string().optional() });
const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  mode: z.enum(['demo', 'production']),
  checks: z.object({ db: check, redis: check, crs: check }),
  alerts: z.array(z.object({ name: z.string(), message: z.string() })),
  version: z.string(),
});

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
  }),
  timezone: z.string(),
  version: z.string(),
  /** No admin yet: the register page asks for the setup token printed at start. */
  setupRequired: z.boolean(),
});

/** /api/health (liveness + readiness of each dependency) and /metrics (Prometheus text). */
export async function opsRoutes(app: FastifyInstance, deps: Deps, services: Services): Promise<void> {
  const crsHealth = cachedFor(10_000, async () => {
    try {
      await deps.crs.health();
      return { status: 'up' as const };
    } catch (e) {
      return { status: 'down' as const, message: (e as Error).message };
    }
  });

  app.get(
    '/api/health',
    { schema: { tags: ['ops'], response: { 200: healthSchema, 503: healthSchema } } },
    async (_req, reply) => {
      const [db, redis, crs] = await Promise.all([
        withTimeout(deps.database.ping(), 2000).then(
          () => ({ status: 'up' as const }),
          (e: Error) => ({ status: 'down' as const, message: e.message }),
        ),
        deps.cache.health().then((h) => ({ status: h.redis })),
        crsHealth(),
      ]);
      const alerts = services.admin.alerts.current();
      const degraded = redis.status === 'down' || crs.status === 'down' || alerts.length > 0;
      reply.code(db.status === 'down' ? 503 : 200);
      return {
        status: degraded || db.status === 'down' ? ('degraded' as const) : ('ok' as const),
        mode: runMode(deps.config),
        checks: { db, redis, crs },
        alerts,
        version: deps.version,
      };
    },
  );

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

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Memoises an async check for `ms`, so health probes never hammer CRS. */
function cachedFor<T>(ms: number, fn: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let last: Promise<T> | undefined;
  return () => {
    if (!last || Date.now() - at > ms) {
      at = Date.now();
      last = fn();
    }
    return last;
  };
}
