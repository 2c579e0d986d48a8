import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { notificationChannels } from '../../src/infra/db/schema.js';
import { verifySignature } from '../../src/infra/notify/webhook/signature.js';
import { crsOperator } from '../helpers/crs-operator.js';
import { decodeHeader, parseMime } from '../helpers/mime.js';
import { NOTIFY_PUBLIC_URL, notifyWorld } from '../helpers/notify-world.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 14, delivery: real SMTP (smtp-server in this process) and real webhook receivers on loopback. E-mail by
 * default for limits and expiry, each user's language and choices, signed webhooks, retries then a pause, the
 * digest, one-click unsubscribe, and at-least-once across two instances and an instance that died mid-delivery.
 */
const w = await notifyWorld({ NOTIFY_COOLDOWN_MINUTES: '60' });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const { api, addWebhook, crossing } = w;
const mailsTo = (email: string) => w.smtp.mails.filter((m) => m.to.includes(email)).map((m) => parseMime(m.raw));
const subjectOf = (m: ReturnType<typeof parseMime>) => decodeHeader(m.headers.get('subject'));

describe('e-mail to the account address', () => {
  it('is on by default for limits and expiry, in each user’s language, with a one-click unsubscribe', async () => {
    const zh = await w.user();
    const en = await w.user();
    expect((await api(zh, 'PATCH', '/api/notifications/settings', { language: 'zh-CN' })).statusCode).toBe(200);
    const zhKey = await crossing(zh);
    await crossing(en);
    await w.sync();
    await w.deliver();
    await w.deliver();

    const [zhMail] = mailsTo(zh.email);
    const [enMail] = mailsTo(en.email);
    expect(mailsTo(zh.email)).toHaveLength(1);
    expect(mailsTo(en.email)).toHaveLength(1);
    expect(subjectOf(zhMail)).toMatch(/^密钥「.+」已用掉每日费用上限的 50%$/);
    expect(subjectOf(enMail)).toMatch(/^Key “.+” has used 50% of its daily cost limit$/);
    const event = (await w.events()).find((e) => (e.payload as { key?: { id: string } }).key?.id === zhKey.id);
    expect(zhMail.headers.get('x-kp-event-id')).toBe(event?.id);
    const unsubscribe = zhMail.headers.get('list-unsubscribe') ?? '';
    expect(unsubscribe).toMatch(new RegExp(`^<${NOTIFY_PUBLIC_URL}/api/notifications/unsubscribe/[^>]+>$`));
    expect(zhMail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const [text, html] = zhMail.parts;
    expect(text.body).toContain(`${NOTIFY_PUBLIC_URL}/keys/${zhKey.id}`);
    expect(html.body).toContain(`href="${NOTIFY_PUBLIC_URL}/keys/${zhKey.id}"`);
    expect(html.body).toContain('<html lang="zh-CN">');
  });

  it('stops after one click on the unsubscribe link (a GET only asks)', async () => {
    const user = await w.user();
    await crossing(user);
    await w.sync();
    await w.deliver();
    const link = (mailsTo(user.email)[0].headers.get('list-unsubscribe') ?? '').slice(1, -1);
    const path = new URL(link).pathname;

    const page = await w.t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<form method="post">');
    const settings = async () => (await api(user, 'GET', '/api/notifications/settings')).json();
    expect((await settings()).channels[0]).toMatchObject({ type: 'email', events: ['usage', 'expiry'] });

    const oneClick = await w.t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain(user.email);
    expect((await settings()).channels[0]).toMatchObject({ type: 'email', events: [], followsDefaults: false });

    const key = await w.key(user, { expiresAt: new Date(w.now().getTime() + 3 * DAY).toISOString() });
    await w.sync();
    await w.deliver();
    expect(mailsTo(user.email), 'no e-mail after unsubscribing').toHaveLength(1);
    expect((await w.events()).some((e) => (e.payload as { key?: { id: string } }).key?.id === key.id)).toBe(true);
  });

  it('is retried while the SMTP server is down, without counting against the channel', async () => {
    const user = await w.user();
    w.smtp.hooks.connect = () => ({ code: 421, text: 'Service not available' });
    try {
      await crossing(user);
      await w.sync();
      for (let i = 0; i < 6; i++) {
        await w.deliver();
        w.advance(7 * HOUR);
      }
      const [channel] = (await api(user, 'GET', '/api/notifications/settings')).json().channels;
      expect(channel).toMatchObject({ type: 'email', status: 'active', failures: 0 });
      expect(mailsTo(user.email)).toHaveLength(0);
    } finally {
      w.smtp.hooks.connect = undefined;
    }
    await w.deliver();
    expect(mailsTo(user.email)).toHaveLength(1);
  });
});

describe('webhooks', () => {
  it('receive only the events they were given, signed with the channel’s secret', async () => {
    const user = await w.user();
    const { secret } = await addWebhook(user, '/only-expiry', ['expiry']);
    expect(secret.length).toBeGreaterThanOrEqual(16);
    const key = await crossing(user);
    await crsOperator(w.emulator).expire(key.crsKeyId, new Date(w.now().getTime() + 3 * DAY).toISOString());
    await w.sync();
    await w.deliver();

    const got = w.hook.requests.filter((r) => r.path === '/only-expiry');
    expect(got).toHaveLength(1);
    const [req] = got;
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ type: 'key.expiring', language: 'en', data: { key: { id: key.id }, step: '7d' } });
    expect(req.headers['x-kp-event-id']).toBe(body.id);
    const stored = (await w.events()).find((e) => e.id === body.id);
    expect(stored?.kind).toBe('key_expiring');
    const verdict = verifySignature(secret, String(req.headers['x-kp-signature']), req.body, Date.now() / 1000);
    expect(verdict).toEqual({ ok: true });
    expect(
      verifySignature('another-secret-of-16+', String(req.headers['x-kp-signature']), req.body, Date.now() / 1000).ok,
    ).toBe(false);
    // The usage event went by e-mail only.
    expect(mailsTo(user.email).map(subjectOf)).toEqual([
      expect.stringMatching(/daily cost limit/),
      expect.stringMatching(/expires within a week/),
    ]);
  });

  it('are retried with backoff, then paused after five failures in a row, their owner told; a test message resumes them', async () => {
    const failing = await startReceiver();
    try {
      failing.answer(() => ({ status: 503, body: 'down' }));
      const user = await w.user();
      const { channel } = await addWebhook(user, '/failing', ['operator'], `${failing.url}/failing`);
      const key = await w.key(user);
      await w.sync();
      await crsOperator(w.emulator).edit(key.crsKeyId, { isActive: false });
      await w.sync();

      await w.deliver();
      expect(failing.requests).toHaveLength(1);
      await w.deliver();
      expect(failing.requests, 'not before its backoff').toHaveLength(1);
      for (let attempt = 2; attempt <= 5; attempt++) {
        w.advance(7 * HOUR);
        await w.deliver();
        expect(failing.requests).toHaveLength(attempt);
      }
      w.advance(7 * HOUR);
      await w.deliver();
      expect(failing.requests, 'paused: nothing more').toHaveLength(5);

      const settings = (await api(user, 'GET', '/api/notifications/settings')).json();
      const paused = settings.channels.find((c: { id: string }) => c.id === channel.id);
      expect(paused).toMatchObject({ status: 'paused', failures: 5, pauseReason: expect.stringMatching(/503/) });
      const notice = mailsTo(user.email).map(subjectOf);
      expect(notice).toContain('Notifications to /failing are paused');
      const log = (await api(user, 'GET', '/api/notifications/deliveries?pageSize=50')).json().items;
      expect(log.find((e: { channel: { id: string } }) => e.channel.id === channel.id)).toMatchObject({
        type: 'key.disabled',
        state: 'cancelled',
        attempts: 5,
      });

      failing.answer(() => ({ status: 200, body: '{}' }));
      const test = await api(user, 'POST', `/api/notifications/channels/${channel.id}/test`);
      expect(test.statusCode).toBe(200);
      expect(test.json()).toMatchObject({ ok: true, channel: { status: 'active', failures: 0 } });
      expect(JSON.parse(failing.requests.at(-1)?.body ?? '{}').type).toBe('channel.test');
    } finally {
      await failing.close();
    }
  });
});

describe('daily digest', () => {
  it('holds a user’s events until their digest hour, then sends one message per channel', async () => {
    const user = await w.user();
    // The CRS day's hour two hours from now (CRS_TIMEZONE_OFFSET 8).
    const hour = (new Date(w.now().getTime() + 8 * HOUR).getUTCHours() + 2) % 24;
    const res = await api(user, 'PATCH', '/api/notifications/settings', { digest: { enabled: true, hour } });
    expect(res.json().digest).toEqual({ enabled: true, hour });
    const key = await crossing(user);
    await crsOperator(w.emulator).expire(key.crsKeyId, new Date(w.now().getTime() + 3 * DAY).toISOString());
    await w.sync();
    await w.deliver();
    expect(mailsTo(user.email)).toHaveLength(0);
    expect((await w.deliveries()).filter((d) => d.userId === user.id).map((d) => d.state)).toEqual(['held', 'held']);

    w.advance(2 * HOUR + 60_000);
    await w.deliver();
    await w.deliver();
    const mails = mailsTo(user.email);
    expect(mails.map(subjectOf)).toEqual(['Claude Key Portal: 2 notifications']);
    expect(mails[0].parts[0].body).toMatch(/daily cost limit[\s\S]*/);
    expect(mails[0].parts[0].body).toContain('expires within a week');
    const states = (await w.deliveries()).filter((d) => d.userId === user.id).map((d) => d.state);
    expect(states.sort()).toEqual(['delivered', 'digested', 'digested']);
  });
});

describe('the delivery log', () => {
  it('shows a user their own rows and the admin everyone’s', async () => {
    const user = await w.user();
    const other = await w.user();
    const admin = await w.user({ role: 'admin' });
    await crossing(user);
    await crossing(other);
    await w.sync();
    await w.deliver();
    const own = (await api(user, 'GET', '/api/notifications/deliveries')).json();
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((e: { recipient?: string }) => e.recipient === undefined)).toBe(true);
    expect(own.items[0]).toMatchObject({ type: 'key.usage_threshold', state: 'delivered', channel: { type: 'email' } });
    const all = (await api(admin, 'GET', `/api/notifications/admin/deliveries?userId=${other.id}`)).json();
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((e: { recipient: string }) => e.recipient === other.email)).toBe(true);
    const [row] = await w.t.deps.database.db
      .select()
      .from(notificationChannels)
      .where(eq(notificationChannels.userId, user.id));
    expect(row.type).toBe('email');
  });
});
