import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { router } from '../route.js';
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

/** /api/keys: the user's CRS keys. Another user's key is a 404 on every route (ids do not leak). */
export async function keyRoutes(app: FastifyInstance, { keys }: Services): Promise<void> {
  const r = router(app, ['keys']);
  const actor = (req: { auth: { user: { id: string } }; ip: string }) => ({ userId: req.auth.user.id, ip: req.ip });

  r.getJson(
    '/keys',
    {
      access: 'user',
      token: 'read',
      summary: 'Your keys, a page at a time',
      querystring: listKeysQuery,
      response: { 200: keyPage },
    },
    (req) => keys.listJson(req.auth.user.id, req.query),
  );

  r.post(
    '/keys',
    {
      access: 'user',
      token: 'keys',
      summary: 'Create a key; the answer holds its secret, shown this once',
      limit: 'keyWrites',
      secret: true,
      body: createKeyBody,
      response: { 201: createdKey },
    },
    async (req, reply) => reply.code(201).send(await keys.create(actor(req), req.body)),
  );

  r.get(
    '/keys/:id',
    { access: 'user', token: 'read', summary: 'One of your keys', params: idParams, response: { 200: keyView } },
    async (req) => keys.get(req.auth.user.id, req.params.id),
  );

  r.patch(
    '/keys/:id',
    {
      access: 'user',
      token: 'keys',
      summary: 'Change a key (only the fields given)',
      limit: 'keyWrites',
      params: idParams,
      body: updateKeyBody,
      response: { 200: keyView },
    },
    async (req) => keys.update(actor(req), req.params.id, req.body),
  );

  r.delete(
    '/keys/:id',
    {
      access: 'user',
      token: 'keys',
      summary: 'Delete a key (kept with its history)',
      limit: 'keyWrites',
      params: idParams,
      response: { 204: z.null() },
    },
    async (req, reply) => {
      await keys.remove(actor(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/keys/:id/instructions',
    {
      access: 'user',
      token: 'read',
      summary: 'How to use a key with Claude Code',
      params: idParams,
      response: { 200: instructions },
    },
    async (req) => keys.instructions(req.auth.user.id, req.params.id),
  );
}
