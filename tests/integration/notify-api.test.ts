import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectBadRequest, expectError, securitySuite } from '../helpers/security-suite.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { notificationSpecs } from '../security/specs/notifications.js';

/**
 * /api/notifications/*: settings, channels (validation, secrets never answered back, the SSRF rule on URLs),
 * test messages, the admin's defaults and the unsubscribe page's refusals. Delivery itself is
 * notify-delivery.test.ts's.
 */
const t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', NOTIFY_TIMEOUT_MS: '1000' } });
const guarded = await createTestApp({ redis: false });

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (
  app: typeof t,
  user: { token: string },
  method: Method,
  url: string,
  payload?: InjectOptions['payload'],
) => app.app.inject({ method, url, headers: authHeaders(user), ...(payload === undefined ? {} : { payload }) });

describe('settings', () => {
  it('without SMTP: no e-mail channel, the built-in defaults, the categories a user may choose', async () => {
    const user = await createUser(t);
    const res = await call(t, user, 'GET', '/api/notifications/settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      emailAvailable: false,
      language: 'en',
      digest: { enabled: false, hour: 9 },
      categories: ['usage', 'expiry', 'operator'],
      channels: [],
    });
    const admin = await createUser(t, { role: 'admin' });
    expect((await call(t, admin, 'GET', '/api/notifications/settings')).json().categories).toContain('system');
  });

  it('keeps a user’s language and digest; the admin’s defaults apply to those who never chose', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const chose = await createUser(t);
    const never = await createUser(t);
    await call(t, chose, 'PATCH', '/api/notifications/settings', { language: 'en', digest: { enabled: false } });
    const d = await call(t, admin, 'PATCH', '/api/notifications/admin/defaults', { language: 'zh-CN', digest: true });
    expect(d.json()).toMatchObject({
      language: 'zh-CN',
      digest: true,
      digestHour: 9,
      emailEvents: ['usage', 'expiry'],
    });
    expect((await call(t, never, 'GET', '/api/notifications/settings')).json()).toMatchObject({
      language: 'zh-CN',
      digest: { enabled: true },
    });
    expect((await call(t, chose, 'GET', '/api/notifications/settings')).json()).toMatchObject({
      language: 'en',
      digest: { enabled: false },
    });
    await call(t, admin, 'PATCH', '/api/notifications/admin/defaults', { language: 'en', digest: false });
  });
});

describe('channels', () => {
  it('adds a webhook: the made secret is answered once, the URL’s path and query never', async () => {
    const user = await createUser(t);
    const res = await call(t, user, 'POST', '/api/notifications/channels', {
      type: 'webhook',
      url: 'https://hooks.example.com/p/secret-path?token=abc',
      label: 'ops',
      events: ['usage', 'operator'],
    });
    expect(res.statusCode).toBe(201);
    const { channel, secret } = res.json();
    expect(secret).toMatch(/^[\w-]{32}$/);
    expect(channel).toMatchObject({
      type: 'webhook',
      label: 'ops',
      target: 'https://hooks.example.com/…',
      events: ['usage', 'operator'],
    });
    const listed = (await call(t, user, 'GET', '/api/notifications/settings')).body;
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain('secret-path');
    expect(listed).not.toContain('token=abc');
  });

  it('reads a platform’s token from the robot URL it shows, and shows only its last characters', async () => {
    const user = await createUser(t);
    const res = await call(t, user, 'POST', '/api/notifications/channels', {
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      secret: 'SEC0123456789abcdef',
      events: ['expiry'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().channel).toMatchObject({ type: 'dingtalk', target: '…cdef' });
    expect(res.json().secret).toBeUndefined();
  });

  it('refuses "system" events to a user, and a plain-http or private URL unless the operator allows it', async () => {
    const user = await createUser(t);
    expectBadRequest(
      await call(t, user, 'POST', '/api/notifications/channels', {
        type: 'webhook',
        url: 'https://x.example/h',
        events: ['system'],
      }),
      'events',
    );
    const other = await createUser(guarded);
    expectBadRequest(
      await call(guarded, other, 'POST', '/api/notifications/channels', { type: 'webhook', url: 'http://x.example/h' }),
      'url',
    );
    // A private address is refused when it is sent to (the name is resolved on every attempt, decision 023).
    const created = await call(guarded, other, 'POST', '/api/notifications/channels', {
      type: 'webhook',
      url: 'https://127.0.0.1:9/h',
    });
    expect(created.statusCode).toBe(201);
    const test = await call(guarded, other, 'POST', `/api/notifications/channels/${created.json().channel.id}/test`);
    expect(test.json()).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
  });

  it('changes a channel’s events and label, removes it; another user’s is a 404', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const { channel } = (
      await call(t, user, 'POST', '/api/notifications/channels', { type: 'webhook', url: 'https://x.example/h' })
    ).json();
    expect(channel.events).toEqual(['usage', 'expiry', 'operator']);
    const patched = await call(t, user, 'PATCH', `/api/notifications/channels/${channel.id}`, {
      label: 'team',
      events: ['expiry'],
    });
    expect(patched.json()).toMatchObject({ label: 'team', events: ['expiry'] });
    expectBadRequest(
      await call(t, user, 'PATCH', `/api/notifications/channels/${channel.id}`, { events: null }),
      'events',
    );
    expectError(await call(t, other, 'DELETE', `/api/notifications/channels/${channel.id}`), 404, 'not_found');
    expect((await call(t, user, 'DELETE', `/api/notifications/channels/${channel.id}`)).statusCode).toBe(204);
    expect((await call(t, user, 'GET', '/api/notifications/settings')).json().channels).toEqual([]);
  });

  it('verifies a channel with a test message, signed, in the user’s language, logged', async () => {
    const receiver = await startReceiver();
    try {
      const user = await createUser(t);
      await call(t, user, 'PATCH', '/api/notifications/settings', { language: 'zh-CN' });
      const { channel, secret } = (
        await call(t, user, 'POST', '/api/notifications/channels', { type: 'webhook', url: `${receiver.url}/t` })
      ).json();
      const res = await call(t, user, 'POST', `/api/notifications/channels/${channel.id}/test`);
      expect(res.json()).toMatchObject({ ok: true, channel: { verifiedAt: expect.any(String) } });
      const [req] = receiver.requests;
      const body = JSON.parse(req.body);
      expect(body).toMatchObject({
        type: 'channel.test',
        language: 'zh-CN',
        subject: '来自 Claude Key Portal 的测试消息',
      });
      const { verifySignature } = await import('../../src/infra/notify/webhook/signature.js');
      expect(verifySignature(secret, String(req.headers['x-kp-signature']), req.body, Date.now() / 1000)).toEqual({
        ok: true,
      });
      const log = (await call(t, user, 'GET', '/api/notifications/deliveries')).json();
      expect(log.items).toEqual([
        expect.objectContaining({ eventId: body.id, type: 'channel.test', state: 'delivered', attempts: 1 }),
      ]);
      // Five test messages a minute, then 429.
      for (let i = 0; i < 4; i++) await call(t, user, 'POST', `/api/notifications/channels/${channel.id}/test`);
      expectError(await call(t, user, 'POST', `/api/notifications/channels/${channel.id}/test`), 429, 'rate_limited');
    } finally {
      await receiver.close();
    }
  });
});

describe('unsubscribe links', () => {
  it.each([
    ['a token of another shape', 'nonsense'],
    ['a forged signature', '00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('%s → 404 page, nothing changed', async (_what, token) => {
    for (const method of ['GET', 'POST'] as const) {
      const res = await t.app.inject({ method, url: `/api/notifications/unsubscribe/${token}` });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('not valid');
    }
  });
});

for (const spec of notificationSpecs(t)) securitySuite(t, spec);
