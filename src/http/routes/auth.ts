import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

// Placeholder: the accounts module registers the /api/auth routes here.
export async function authRoutes(_app: FastifyInstance, _services: Services): Promise<void> {}
