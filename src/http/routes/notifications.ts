import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { router } from '../route.js';
import { idParams } from '../schemas/common.js';
import {
  adminLogQuery,
  channelCreateBody,
  channelCreated,
  channelPatch,
  channelView,
  defaultsBody,
  defaultsResponse,
  logPage,
  logQuery,
  settingsPatch,
  settingsResponse,
  testResult,
  unsubscribeParams,
} from '../schemas/notifications.js';

/**
 * /api/notifications/*: a user's notification settings, channels and delivery log; the admin's defaults and the
 * log of everyone; and the one-click unsubscribe link of every e-mail (public, its token is the credential).
 */
export async function notificationRoutes(app: FastifyInstance, { notifications: n }: Services): Promise<void> {
  const r = router(app, ['notifications']);

  r.get(
    '/notifications/settings',
    { access: 'user', summary: 'Your notification settings and channels', response: { 200: settingsResponse } },
    (req) => n.settings.get(req.auth.user),
  );

  r.patch(
    '/notifications/settings',
    {
      access: 'user',
      summary: 'Change the language of your notifications or your daily digest',
      body: settingsPatch,
      response: { 200: settingsResponse },
    },
    (req) => n.settings.update(req.auth.user, req.body),
  );

  r.post(
    '/notifications/channels',
    {
      access: 'user',
      summary: 'Add a webhook or chat channel; a made secret is answered this once',
      body: channelCreateBody,
      response: { 201: channelCreated },
      secret: true,
    },
    async (req, reply) => reply.code(201).send(await n.channels.create(req.auth.user, req.body)),
  );

  r.patch(
    '/notifications/channels/:id',
    {
      access: 'user',
      summary: 'Rename a channel or choose its events',
      params: idParams,
      body: channelPatch,
      response: { 200: channelView },
    },
    (req) => n.channels.update(req.auth.user, req.params.id, req.body),
  );

  r.delete(
    '/notifications/channels/:id',
    { access: 'user', summary: 'Remove a channel', params: idParams, response: { 204: z.null() } },
    async (req, reply) => {
      await n.channels.remove(req.auth.user, req.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/notifications/channels/:id/test',
    {
      access: 'user',
      summary: 'Send a test message to a channel now (a delivered one resumes a paused channel)',
      params: idParams,
      response: { 200: testResult },
    },
    (req) => n.channels.test(req.auth.user, req.params.id),
  );

  r.get(
    '/notifications/deliveries',
    {
      access: 'user',
      summary: 'Your delivery log, newest first',
      querystring: logQuery,
      response: { 200: logPage },
    },
    (req) => n.log.own(req.auth.user.id, req.query),
  );

  r.get(
    '/notifications/admin/deliveries',
    {
      access: 'admin',
      summary: 'Everyone’s delivery log, newest first',
      querystring: adminLogQuery,
      response: { 200: logPage },
    },
    (req) => n.log.all(req.query),
  );

  r.get(
    '/notifications/admin/defaults',
    { access: 'admin', summary: 'Notification defaults for every account', response: { 200: defaultsResponse } },
    () => n.settings.defaults(),
  );

  r.patch(
    '/notifications/admin/defaults',
    {
      access: 'admin',
      summary: 'Change the notification defaults (the fields given)',
      body: defaultsBody,
      response: { 200: defaultsResponse },
    },
    (req) => n.settings.setDefaults(req.body),
  );

  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` form-encoded; our own page's button posts the same.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    const pub = router(scope, ['notifications']);
    const because = 'the link’s token is the credential: it names one channel and only turns its e-mail off';
    const page = (confirm: boolean) => async (req: { params: { token: string } }, reply: FastifyReply) => {
      const answer = await n.unsubscribe(req.params.token, confirm);
      return reply
        .code(answer.found ? 200 : 404)
        .type('text/html; charset=utf-8')
        .send(answer.html);
    };
    const unsubscribe = '/notifications/unsubscribe/:token';
    const params = unsubscribeParams;
    pub.get(
      unsubscribe,
      { access: { public: because }, summary: 'The unsubscribe page of an e-mail (asks, changes nothing)', params },
      page(false),
    );
    pub.post(
      unsubscribe,
      { access: { public: because }, summary: 'One-click unsubscribe (RFC 8058): e-mail notifications off', params },
      page(true),
    );
  });
}
