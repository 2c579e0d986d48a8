import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { router } from '../route.js';
import {
  adminUser,
  cacheStatsResponse,
  inviteParams,
  invitesBody,
  invitesCreated,
  invitesPage,
  invitesQuery,
  overviewResponse,
  purgeBody,
  purgeResponse,
  syncBody,
  syncResponse,
  userPatch,
  usersPage,
  usersQuery,
} from '../schemas/admin.js';
import { idParams } from '../schemas/common.js';
import { adminKey, adminKeysPage, adminKeysQuery, releaseBody } from '../schemas/keys.js';
import { adminStatementsQuery, adminStatementsResponse } from '../schemas/spend.js';

/** /api/admin/*: every route needs the admin role (401 without a session, 403 without the role). */
export async function adminRoutes(app: FastifyInstance, { admin, stats }: Services): Promise<void> {
  const r = router(app, ['admin']);

  r.get(
    '/admin/overview',
    {
      access: 'admin',
      summary: 'CRS, the portal, the sync, the cache and alerts at a glance',
      response: { 200: overviewResponse },
    },
    () => admin.overview(),
  );

  r.get(
    '/admin/statements',
    {
      access: 'admin',
      summary: 'Every user’s totals of a month, to split a shared bill (JSON, or CSV with format=csv)',
      querystring: adminStatementsQuery,
      response: { 200: z.union([adminStatementsResponse, z.string().describe('the same as CSV (format=csv)')]) },
    },
    async (req, reply) => {
      const { month, body } = await stats.adminStatement(req.query.month, req.query.format);
      // The domain built the body (JSON, or CSV from the same cached JSON): sent as it is.
      if (req.query.format === 'json') return reply.type('application/json; charset=utf-8').send(body);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="statements-${month}.csv"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  r.get(
    '/admin/users',
    {
      access: 'admin',
      summary: 'Every account, a page at a time',
      querystring: usersQuery,
      response: { 200: usersPage },
    },
    (req) => admin.users.list(req.query),
  );

  r.patch(
    '/admin/users/:id',
    {
      access: 'admin',
      summary: 'Change an account’s status, role or key quota',
      params: idParams,
      body: userPatch,
      response: { 200: adminUser },
    },
    (req) => admin.users.update(req.auth.user.id, req.params.id, req.body, req.ip),
  );

  // Keys the operator holds (disabled or limited in CRS) and their release (docs/decisions/011).
  r.get(
    '/admin/keys',
    {
      access: 'admin',
      summary: 'Keys, or those the operator holds',
      querystring: adminKeysQuery,
      response: { 200: adminKeysPage },
    },
    (req) => admin.keys.list(req.query),
  );

  r.post(
    '/admin/keys/:id/release',
    {
      access: 'admin',
      summary: 'Release what the operator holds on a key',
      params: idParams,
      body: releaseBody,
      response: { 200: adminKey },
    },
    (req) => admin.keys.release(req.auth.user.id, req.params.id, req.body.fields, req.ip),
  );

  r.post(
    '/admin/invites',
    {
      access: 'admin',
      summary: 'Create invite codes',
      body: invitesBody,
      response: { 201: invitesCreated },
      secret: true,
    },
    async (req, reply) => reply.code(201).send(await admin.invites.create(req.auth.user.id, req.body, req.ip)),
  );

  r.get(
    '/admin/invites',
    {
      access: 'admin',
      summary: 'Invite codes, a page at a time',
      querystring: invitesQuery,
      response: { 200: invitesPage },
      secret: true,
    },
    (req) => admin.invites.list(req.query),
  );

  r.delete(
    '/admin/invites/:code',
    { access: 'admin', summary: 'Revoke an invite code', params: inviteParams, response: { 204: z.null() } },
    async (req, reply) => {
      await admin.invites.revoke(req.auth.user.id, req.params.code, req.ip);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/admin/cache',
    { access: 'admin', summary: 'Cache hit rates per namespace', response: { 200: cacheStatsResponse } },
    () => admin.cacheStats(),
  );

  r.post(
    '/admin/cache/purge',
    {
      access: 'admin',
      summary: 'Empty one cache namespace, or all',
      body: purgeBody,
      response: { 200: purgeResponse },
    },
    (req) => admin.purge(req.auth.user.id, req.body.namespace),
  );

  r.post(
    '/admin/sync',
    { access: 'admin', summary: 'Start a sync with CRS now', body: syncBody, response: { 202: syncResponse } },
    async (req, reply) => {
      admin.syncNow(req.body.full);
      return reply.code(202).send({ started: true });
    },
  );
}
