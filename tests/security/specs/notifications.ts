import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { authHeaders, type SecuritySpec, type TestUser } from '../../helpers/security-suite.js';

/** A webhook channel of `owner`'s, pointed at a closed loopback port (a test message fails fast, nothing leaves). */
export async function createChannelAs(t: TestApp, owner: TestUser): Promise<{ id: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/notifications/channels',
    headers: authHeaders(owner),
    payload: { type: 'webhook', url: 'http://127.0.0.1:9/hook', events: ['usage'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().channel;
}

/** /api/notifications: a user's settings, channels and log; the admin's defaults and everyone's log. */
export const notificationSpecs = (t: TestApp): SecuritySpec[] => {
  const owned =
    (suffix = '') =>
    async (owner: TestUser) =>
      `/api/notifications/channels/${(await createChannelAs(t, owner)).id}${suffix}`;
  return [
    { method: 'GET', url: '/api/notifications/settings' },
    {
      method: 'PATCH',
      url: '/api/notifications/settings',
      body: {
        valid: { language: 'en' },
        invalid: [
          { body: { language: 'fr' }, field: 'language' },
          { body: { digest: { hour: 24 } }, field: 'digest.hour' },
          { body: { digest: { enabled: 'yes' } }, field: 'digest.enabled' },
        ],
      },
    },
    {
      method: 'POST',
      url: '/api/notifications/channels',
      body: {
        valid: { type: 'webhook', url: 'https://hooks.example.com/portal', events: ['usage'] },
        invalid: [
          { body: { type: 'fax' }, field: 'type' },
          { body: { type: 'email' }, field: 'type' },
          { body: { type: 'webhook', url: 'https://x.example', events: ['weather'] }, field: 'events.0' },
          { body: { type: 'webhook', url: 'https://x.example', events: ['usage', 'usage'] }, field: 'events' },
          { body: { type: 'webhook', url: 'ftp://x.example/hook' }, field: 'url' },
          { body: { type: 'webhook', url: 'https://x.example', secret: 'short' }, field: 'secret' },
          { body: { type: 'webhook' }, field: 'url' },
          { body: { type: 'slack', token: 'not-a-slack-token' }, field: 'token' },
          { body: { type: 'slack', url: 'https://evil.example/services/T0/B0/x' }, field: 'url' },
          { body: { type: 'telegram', token: '123456:ABCdefGhIJKlmnoPQRstuVWxyz0123456789' }, field: 'chatId' },
          { body: { type: 'webhook', url: 'https://x.example', label: 'a\nb' }, field: 'label' },
        ],
      },
    },
    {
      method: 'PATCH',
      url: `/api/notifications/channels/${randomUUID()}`,
      body: {
        valid: { label: 'renamed' },
        invalid: [
          { body: { events: ['weather'] }, field: 'events.0' },
          { body: { label: 'x'.repeat(61) }, field: 'label' },
        ],
      },
      ownedResource: owned(),
    },
    { method: 'DELETE', url: `/api/notifications/channels/${randomUUID()}`, ownedResource: owned() },
    { method: 'POST', url: `/api/notifications/channels/${randomUUID()}/test`, ownedResource: owned('/test') },
    { method: 'GET', url: '/api/notifications/deliveries?state=failed' },
    { method: 'GET', url: '/api/notifications/admin/deliveries', admin: true },
    { method: 'GET', url: '/api/notifications/admin/defaults', admin: true },
    {
      method: 'PATCH',
      url: '/api/notifications/admin/defaults',
      admin: true,
      body: {
        valid: { digestHour: 9 },
        invalid: [
          { body: { emailEvents: ['system'] }, field: 'emailEvents.0' },
          { body: { language: 'de' }, field: 'language' },
          { body: { digestHour: -1 }, field: 'digestHour' },
        ],
      },
    },
  ];
};
