import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

// Placeholder: the keys module registers the /api/keys routes here.
export async function keyRoutes(_app: FastifyInstance, _services: Services): Promise<void> {}
