import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { keyWritesBudget, type Limits } from '../../domain/limits.js';
import { requireAuth } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A per-user budget this route spends (declared on the route, applied by registerRouteLimits). */
    limit?: 'keyWrites';
  }
}

/**
 * Route budgets declared as `config: { limit }` on a route: a preHandler (after authentication and validation, so
 * only well-formed writes count) is attached to exactly those routes, leaving every other route's path untouched.
 * Must be registered before the routes.
 */
export function registerRouteLimits(app: FastifyInstance, limits: Limits, keyWritesPerMinute: number): void {
  const budget = keyWritesBudget(keyWritesPerMinute);
  const keyWrites: preHandlerHookHandler = async (req: FastifyRequest) => {
    await limits.spend(
      `keys:write:${requireAuth(req).user.id}`,
      budget,
      'Too many key changes in a short time; try again in a minute',
    );
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.limit !== 'keyWrites') return;
    const own = route.preHandler;
    route.preHandler = own ? [...(Array.isArray(own) ? own : [own]), keyWrites] : [keyWrites];
  });
}
