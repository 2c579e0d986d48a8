import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { router } from '../route.js';
import { noContent } from '../schemas/auth.js';
import { idParams } from '../schemas/common.js';
import { createdToken, createTokenBody, meSummary, tokenList } from '../schemas/tokens.js';

/**
 * Personal access tokens (docs/decisions/026) and the compact summary status bars poll with one. The token routes
 * themselves take no token (`token` left out): a leaked token cannot mint another or hide itself.
 */
export async function tokenRoutes(app: FastifyInstance, { accounts, meSummary: summary }: Services): Promise<void> {
  const r = router(app, ['tokens']);

  r.post(
    '/tokens',
    {
      access: 'user',
      summary: 'Create a personal access token; the answer holds it, shown this once',
      body: createTokenBody,
      response: { 201: createdToken },
      secret: true,
    },
    async (req, reply) => reply.code(201).send(await accounts.tokens.create(req.auth, req.body, { ip: req.ip })),
  );

  r.get(
    '/tokens',
    { access: 'user', summary: 'Your personal access tokens', response: { 200: tokenList } },
    async (req) => ({ items: await accounts.tokens.list(req.auth.user.id) }),
  );

  r.delete(
    '/tokens/:id',
    { access: 'user', summary: 'Revoke a personal access token', params: idParams, response: { 204: noContent } },
    async (req, reply) => {
      await accounts.tokens.revoke(req.auth, req.params.id, { ip: req.ip });
      return reply.code(204).send(null);
    },
  );

  r.getJson(
    '/me/summary',
    {
      access: 'user',
      token: 'read',
      tags: ['stats'],
      summary: "Today's and this month's spend and each key's limit usage, for status bars",
      response: { 200: meSummary },
    },
    (req) => summary.summaryJson(req.auth.user.id),
  );
}
