import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/domain/notifications/messages/index.js';
import { createMailer, messageIdFor } from '../../src/infra/notify/email/send-email.js';
import { createNotifier, type OutboundMessage } from '../../src/infra/notify/index.js';
import { DEFAULT_PLATFORM_BASES } from '../../src/infra/notify/webhook/platforms/index.js';
import { decodeHeader, parseMime } from '../helpers/mime.js';
import { type SmtpReceiver, startSmtp } from '../helpers/smtp-receiver.js';
import { freePort } from '../support/free-port.js';

const publicUrl = new URL('https://portal.example.com');
const unsubscribeUrl = 'https://portal.example.com/api/notifications/unsubscribe/tok_abc';
const FROM = 'Claude Key Portal <noreply@portal.example.com>';

function zhMessage(id = 'evt_0001'): OutboundMessage {
  return composeMessage(
    {
      id,
      time: new Date('2025-06-01T02:00:00Z'),
      event: {
        kind: 'usage_threshold',
        key: { id: 'k_42', name: '研发<组> & "测试"' },
        limit: 'daily_cost',
        threshold: 80,
        used: 8_120_000,
        cap: 10_000_000,
      },
    },
    { language: 'zh-CN', publicUrl, timeZone: 'Asia/Shanghai', unsubscribeUrl },
  );
}

describe('e-mail over real SMTP', () => {
  let smtp: SmtpReceiver;
  let mailer: ReturnType<typeof createMailer>;
  beforeAll(async () => {
    smtp = await startSmtp({ user: 'portal', pass: 'p@ss word' });
    mailer = createMailer({ smtpUrl: smtp.url, from: FROM, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
  });
  afterEach(() => {
    smtp.hooks.connect = smtp.hooks.rcpt = smtp.hooks.data = undefined;
    smtp.mails.length = 0;
  });

  it('delivers HTML with a text part, in UTF-8, with the unsubscribe and event headers', async () => {
    const message = zhMessage();
    expect(await mailer.send({ type: 'email', to: 'user@example.com' }, message)).toEqual({ ok: true });

    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail.from).toBe('noreply@portal.example.com');
    expect(mail.to).toEqual(['user@example.com']);

    const root = parseMime(mail.raw);
    // Chinese in the subject travels as RFC 2047 encoded words and decodes back to the rendered subject.
    expect(root.headers.get('subject')).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(decodeHeader(root.headers.get('subject'))).toBe(message.subject);
    expect(message.subject).toContain('研发<组> & "测试"');
    expect(root.headers.get('message-id')).toBe(messageIdFor('evt_0001', 'user@example.com', 'portal.example.com'));
    expect(root.headers.get('x-kp-event-id')).toBe('evt_0001');
    expect(root.headers.get('x-kp-event-type')).toBe('key.usage_threshold');
    expect(root.headers.get('list-unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    expect(root.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(root.headers.get('auto-submitted')).toBe('auto-generated');

    expect(root.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const [text, html] = root.parts;
    expect(text.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/i);
    expect(html.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
    // Non-ASCII bodies are transfer-encoded (7-bit safe), and decode to exactly what was rendered.
    expect(text.headers.get('content-transfer-encoding')).toMatch(/base64|quoted-printable/);
    expect(text.rawBody).not.toContain('研发');
    expect(text.body.replace(/\r\n/g, '\n').trim()).toBe(message.text.trim());
    expect(text.body).toContain('US$8.12 / US$10.00');
    expect(text.body).toContain(unsubscribeUrl);
    expect(html.body).toContain('研发&lt;组&gt; &amp; &quot;测试&quot;');
    expect(html.body).not.toContain('研发<组>');
    expect(html.body).toContain('href="https://portal.example.com/keys/k_42"');
  });

  it('gives the same event to the same address the same Message-ID on every attempt', async () => {
    await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage('evt_0002'));
    await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage('evt_0002'));
    await mailer.send({ type: 'email', to: 'other@example.com' }, zhMessage('evt_0002'));
    const ids = smtp.mails.map((m) => parseMime(m.raw).headers.get('message-id'));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('classifies a refused recipient: 5xx permanent, 4xx worth another try, both the channel’s', async () => {
    smtp.hooks.rcpt = () => ({ code: 550, text: '5.1.1 No such user' });
    const permanent = await mailer.send({ type: 'email', to: 'gone@example.com' }, zhMessage());
    expect(permanent).toMatchObject({ ok: false, retryable: false, scope: 'channel' });
    expect(permanent.ok || permanent.error).toMatch(/550.*No such user/);

    smtp.hooks.rcpt = () => ({ code: 450, text: '4.2.0 Greylisted, try later' });
    const temporary = await mailer.send({ type: 'email', to: 'grey@example.com' }, zhMessage());
    expect(temporary).toMatchObject({ ok: false, retryable: true, scope: 'channel' });
    expect(smtp.mails).toHaveLength(0);
  });

  it('classifies a refused message the same way (554 permanent, 451 temporary)', async () => {
    smtp.hooks.data = () => ({ code: 554, text: '5.7.1 Message rejected as spam' });
    expect(await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage())).toMatchObject({
      ok: false,
      retryable: false,
      scope: 'channel',
    });
    smtp.hooks.data = () => ({ code: 451, text: '4.3.0 Local error in processing' });
    expect(await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage())).toMatchObject({
      ok: false,
      retryable: true,
      scope: 'channel',
    });
  });

  it("retries a server that turns us away at the door, as the operator's problem", async () => {
    smtp.hooks.connect = () => ({ code: 421, text: '4.3.2 Service shutting down' });
    const result = await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage());
    expect(result).toMatchObject({ ok: false, retryable: true, scope: 'service' });
    expect(result.ok || result.error).toMatch(/421/);
  });

  it('logs in with the credentials in SMTP_URL; wrong ones are retried as a service failure', async () => {
    const wrong = createMailer({
      smtpUrl: `smtp://portal:Wr0ngSecretValue@127.0.0.1:${smtp.port}`,
      from: FROM,
      timeoutMs: 5_000,
    });
    const result = await wrong.send({ type: 'email', to: 'user@example.com' }, zhMessage());
    wrong.close();
    expect(result).toMatchObject({ ok: false, retryable: true, scope: 'service' });
    expect(result.ok || result.error).toMatch(/535/);
    // The delivery log gets the error; the password in SMTP_URL never reaches it.
    expect(result.ok || result.error).not.toContain('Wr0ngSecretValue');
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('e-mail without a server', () => {
  it('retries when the SMTP server is down (connection refused)', async () => {
    const port = await freePort();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 5_000 });
    const result = await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage());
    mailer.close();
    expect(result).toMatchObject({ ok: false, retryable: true, scope: 'service' });
    expect(result.ok || result.error).toMatch(/connection refused/);
  });

  it('gives up on a server that accepts the connection but never greets, and retries later', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 300 });
    const result = await mailer.send({ type: 'email', to: 'user@example.com' }, zhMessage());
    mailer.close();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(result).toMatchObject({ ok: false, retryable: true, scope: 'service' });
    expect(result.ok || result.error).toMatch(/timed out|ETIMEDOUT/i);
  });

  it('says e-mail is off when SMTP_URL is not set', async () => {
    const notifier = createNotifier({
      webhookAllowPrivate: false,
      timeoutMs: 1_000,
      platformBaseUrls: DEFAULT_PLATFORM_BASES,
    });
    expect(notifier.emailEnabled).toBe(false);
    expect(await notifier.send({ type: 'email', to: 'user@example.com' }, zhMessage())).toMatchObject({
      ok: false,
      retryable: false,
      scope: 'service',
    });
  });
});
