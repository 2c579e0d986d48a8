import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { router } from '../route.js';
import { idParams } from '../schemas/common.js';
import { statementQuery, statementResponse, summaryResponse } from '../schemas/spend.js';
import {
  compareQuery,
  compareResponse,
  exportQuery,
  leaderboardQuery,
  leaderboardResponse,
  modelsResponse,
  rangeOnlyQuery,
  requestsQuery,
  requestsResponse,
  usageOrHourly,
  usageQuery,
} from '../schemas/stats.js';

/** /api/stats/* and the CRS-backed per-key details: pre-serialised answers from the domain, and the export. */
export async function statsRoutes(app: FastifyInstance, { stats, keyDetails, exporter }: Services): Promise<void> {
  const r = router(app, ['stats']);

  r.getJson(
    '/stats/usage',
    {
      access: 'user',
      token: 'read',
      summary: 'Your usage over a range: totals, a daily (or hourly) series and each key',
      querystring: usageQuery,
      response: { 200: usageOrHourly },
    },
    (req) => stats.usageJson(req.auth.user.id, req.query),
  );

  r.getJson(
    '/stats/summary',
    {
      access: 'user',
      token: 'read',
      summary: 'Your spend: today, this month and its projection, the range against the one before, by key and model',
      querystring: rangeOnlyQuery,
      response: { 200: summaryResponse },
    },
    (req) => stats.summaryJson(req.auth.user.id, req.query),
  );

  r.getJson(
    '/stats/statement',
    {
      access: 'user',
      token: 'read',
      summary: 'Your monthly statement: tokens and cost by key and model',
      querystring: statementQuery,
      response: { 200: statementResponse },
    },
    (req) => stats.statementJson(req.auth.user.id, req.query.month),
  );

  r.getJson(
    '/stats/compare',
    {
      access: 'user',
      token: 'read',
      summary: 'Two to ten of your keys side by side',
      querystring: compareQuery,
      response: { 200: compareResponse },
    },
    (req) => stats.compareJson(req.auth.user.id, req.query.keyIds, req.query),
  );

  r.getJson(
    '/stats/leaderboard',
    {
      access: 'user',
      token: 'read',
      summary: 'Keys ranked by lifetime usage or a range’s (every user’s with scope=all, admins only)',
      querystring: leaderboardQuery,
      response: { 200: leaderboardResponse },
    },
    // An admin's personal access token sees the admin's own keys only: no token reaches admin data.
    ({ auth: { user, scopes }, query }) =>
      stats.leaderboardJson(user.id, { ...query, isAdmin: user.role === 'admin' && !scopes }),
  );

  r.get(
    '/stats/export',
    {
      access: 'user',
      token: 'read',
      summary: 'Download your daily usage as CSV or JSON',
      querystring: exportQuery,
      response: { 200: z.any() },
    },
    async (req, reply) => {
      const file = await exporter(req.auth.user.id, req.query);
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

  r.getJson(
    '/keys/:id/models',
    {
      access: 'user',
      token: 'read',
      summary: 'A key’s usage per model over a range, from CRS',
      tags: ['keys'],
      params: idParams,
      querystring: rangeOnlyQuery,
      response: { 200: modelsResponse },
    },
    (req) => keyDetails.modelsJson(req.auth.user.id, req.params.id, req.query),
  );

  r.getJson(
    '/keys/:id/requests',
    {
      access: 'user',
      token: 'read',
      summary: 'A key’s request log (the last 200 CRS keeps), filtered and paged, from CRS',
      tags: ['keys'],
      params: idParams,
      querystring: requestsQuery,
      response: { 200: requestsResponse },
    },
    (req) => keyDetails.requestsJson(req.auth.user.id, req.params.id, req.query),
  );
}
