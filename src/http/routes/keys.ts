import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { requireAuth } from '../plugins/auth.js';
import { sendAnswer } from '../reply.js';
import { idParams } from '../schemas/common.js';
import {
  createdKey,
  createKeyBody,
  instructions,
  keyPage,
  keyView,
  listKeysQuery,
  updateKeyBody,
} from '../schemas/keys.js';

const actorOf = (req: FastifyRequest) => ({ userId: requireAuth(req).user.id, ip: req.ip });

/** /api/keys: the user's CRS keys. Another user's key is a 404 on every route (ids do not leak). */
export async function keyRoutes(root: FastifyInstance, { keys }: Services): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['keys'];
  const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

  app.get(
    '/keys',
    {
      onRequest: app.authenticate,
      schema: { tags, security, querystring: listKeysQuery, response: { 200: keyPage } },
    },
    (req, reply) => sendAnswer(reply, keys.listJson(requireAuth(req).user.id, req.query)),
  );

  app.post(
    '/keys',
    {
      onRequest: app.authenticate,
      config: { limit: 'keyWrites' },
      schema: { tags, security, body: createKeyBody, response: { 201: createdKey } },
    },
    async (req, reply) => reply.code(201).send(await keys.create(actorOf(req), req.body)),
  );

  app.get(
    '/keys/:id',
    { onRequest: app.authenticate, schema: { tags, security, params: idParams, response: { 200: keyView } } },
    async (req) => keys.get(requireAuth(req).user.id, req.params.id),
  );

  app.patch(
    '/keys/:id',
    {
      onRequest: app.authenticate,
      config: { limit: 'keyWrites' },
      schema: { tags, security, params: idParams, body: updateKeyBody, response: { 200: keyView } },
    },
    async (req) => keys.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/keys/:id',
    {
      onRequest: app.authenticate,
      config: { limit: 'keyWrites' },
      schema: { tags, security, params: idParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await keys.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/keys/:id/instructions',
    { onRequest: app.authenticate, schema: { tags, security, params: idParams, response: { 200: instructions } } },
    async (req) => keys.instructions(requireAuth(req).user.id, req.params.id),
  );
}
