import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { requireAuth } from '../plugins/auth.js';
import { sendAnswer, sendJson } from '../reply.js';
import { idParams } from '../schemas/common.js';
import {
  compareAnswer,
  compareQuery,
  exportQuery,
  leaderboardAnswer,
  leaderboardQuery,
  modelsAnswer,
  rangeOnlyQuery,
  requestsAnswer,
  usageAnswer,
  usageQuery,
} from '../schemas/stats.js';

/** /api/stats/* and the CRS-backed per-key details. Every answer is a pre-serialised body from the domain. */
export async function statsRoutes(root: FastifyInstance, { stats, keyDetails, exporter }: Services): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['stats'];
  const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
  const userId = (req: FastifyRequest) => requireAuth(req).user.id;

  app.get(
    '/stats/usage',
    {
      onRequest: app.authenticate,
      schema: { tags, security, querystring: usageQuery, response: { 200: usageAnswer } },
    },
    (req, reply) => sendAnswer(reply, stats.usageJson(userId(req), req.query)),
  );

  app.get(
    '/stats/compare',
    {
      onRequest: app.authenticate,
      schema: { tags, security, querystring: compareQuery, response: { 200: compareAnswer } },
    },
    (req, reply) => sendAnswer(reply, stats.compareJson(userId(req), req.query.keyIds, req.query)),
  );

  app.get(
    '/stats/leaderboard',
    {
      onRequest: app.authenticate,
      schema: { tags, security, querystring: leaderboardQuery, response: { 200: leaderboardAnswer } },
    },
    (req, reply) => {
      const { user } = requireAuth(req);
      return sendAnswer(reply, stats.leaderboardJson(user.id, { ...req.query, isAdmin: user.role === 'admin' }));
    },
  );

  app.get(
    '/stats/export',
    { onRequest: app.authenticate, schema: { tags, security, querystring: exportQuery, response: { 200: z.any() } } },
    async (req, reply) => {
      const file = await exporter(userId(req), req.query);
      // Once the first bytes are out a failure cannot become an error answer: Fastify then destroys the
      // connection, so the client sees a broken download rather than a short file that looks complete. Logged here
      // with the request id (Fastify's own stream-error line is off with request logging).
      file.stream.once('error', (err) => req.log.error({ err }, 'export failed after the answer started; aborted'));
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );

  app.get(
    '/keys/:id/models',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['keys'],
        security,
        params: idParams,
        querystring: rangeOnlyQuery,
        response: { 200: modelsAnswer },
      },
    },
    async (req, reply) => sendJson(reply, await keyDetails.modelsJson(userId(req), req.params.id, req.query)),
  );

  app.get(
    '/keys/:id/requests',
    {
      onRequest: app.authenticate,
      schema: { tags: ['keys'], security, params: idParams, response: { 200: requestsAnswer } },
    },
    async (req, reply) => sendJson(reply, await keyDetails.requestsJson(userId(req), req.params.id)),
  );
}
