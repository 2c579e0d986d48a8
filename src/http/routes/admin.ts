import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { requireAuth } from '../plugins/auth.js';
import {
  adminUser,
  cacheAnswer,
  inviteParams,
  invitesBody,
  invitesCreated,
  invitesPage,
  invitesQuery,
  overviewAnswer,
  purgeBody,
  syncBody,
  userPatch,
  usersPage,
  usersQuery,
} from '../schemas/admin.js';
import { idParams } from '../schemas/common.js';
import { adminKey, adminKeysPage, adminKeysQuery, releaseBody } from '../schemas/keys.js';

/** /api/admin/*: every route needs the admin role (401 without a session, 403 without the role). */
export async function adminRoutes(root: FastifyInstance, { admin }: Services): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
  const guard = { onRequest: app.requireAdmin };

  app.get('/admin/overview', { ...guard, schema: { tags, security, response: { 200: overviewAnswer } } }, () =>
    admin.overview(),
  );

  app.get(
    '/admin/users',
    { ...guard, schema: { tags, security, querystring: usersQuery, response: { 200: usersPage } } },
    (req) => admin.users.list(req.query),
  );

  app.patch(
    '/admin/users/:id',
    { ...guard, schema: { tags, security, params: idParams, body: userPatch, response: { 200: adminUser } } },
    (req) => admin.users.update(requireAuth(req).user.id, req.params.id, req.body, req.ip),
  );

  // Keys the operator holds (disabled or limited in CRS) and their release (docs/decisions/011).
  app.get(
    '/admin/keys',
    { ...guard, schema: { tags, security, querystring: adminKeysQuery, response: { 200: adminKeysPage } } },
    (req) => admin.keys.list(req.query),
  );

  app.post(
    '/admin/keys/:id/release',
    { ...guard, schema: { tags, security, params: idParams, body: releaseBody, response: { 200: adminKey } } },
    (req) => admin.keys.release(requireAuth(req).user.id, req.params.id, req.body.fields, req.ip),
  );

  app.post(
    '/admin/invites',
    { ...guard, schema: { tags, security, body: invitesBody, response: { 201: invitesCreated } } },
    async (req, reply) => reply.code(201).send(await admin.invites.create(requireAuth(req).user.id, req.body, req.ip)),
  );

  app.get(
    '/admin/invites',
    { ...guard, schema: { tags, security, querystring: invitesQuery, response: { 200: invitesPage } } },
    (req) => admin.invites.list(req.query),
  );

  app.delete(
    '/admin/invites/:code',
    { ...guard, schema: { tags, security, params: inviteParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await admin.invites.revoke(requireAuth(req).user.id, req.params.code, req.ip);
      return reply.code(204).send(null);
    },
  );

  app.get('/admin/cache', { ...guard, schema: { tags, security, response: { 200: cacheAnswer } } }, () =>
    admin.cacheStats(),
  );

  app.post(
    '/admin/cache/purge',
    { ...guard, schema: { tags, security, body: purgeBody, response: { 200: z.object({ deleted: z.number() }) } } },
    (req) => admin.purge(requireAuth(req).user.id, req.body.namespace),
  );

  app.post(
    '/admin/sync',
    {
      ...guard,
      schema: { tags, security, body: syncBody, response: { 202: z.object({ started: z.boolean() }) } },
    },
    async (req, reply) => {
      admin.syncNow(req.body.full);
      return reply.code(202).send({ started: true });
    },
  );
}
