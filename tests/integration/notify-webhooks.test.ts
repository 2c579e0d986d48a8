import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/infra/notify/webhook/signature.js';
import { sampleMessage, testNotifier } from '../helpers/notify-fixtures.js';
import { type ReceivedRequest, type Receiver, startReceiver } from '../helpers/webhook-receiver.js';
import { freePort } from '../support/free-port.js';

const SECRET = 'whsec_test_0123456789abcdef';

/** The receiver's side of docs/webhooks.md, written independently of the sender's code. */
function signatureValid(req: ReceivedRequest, secret: string): boolean {
  const header = String(req.headers['x-kp-signature'] ?? '');
  const t = header.match(/(?:^|,)t=(\d+)/)?.[1];
  const v1 = header.match(/(?:^|,)v1=([0-9a-f]{64})/)?.[1];
  if (!t || !v1) return false;
  if (Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${req.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

describe('generic webhook', () => {
  let receiver: Receiver;
  let other: Receiver;
  const notifier = testNotifier({ timeoutMs: 500 });
  beforeAll(async () => {
    receiver = await startReceiver();
    other = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await other.close();
  });
  afterEach(() => {
    receiver.requests.length = 0;
    other.requests.length = 0;
    receiver.answer(() => ({ status: 204 }));
  });

  const channel = () => ({ type: 'webhook' as const, url: `${receiver.url}/hooks/kp?source=portal`, secret: SECRET });

  it('posts the event as signed JSON with a stable event id', async () => {
    const message = sampleMessage('zh-CN');
    expect(await notifier.send(channel(), message)).toEqual({ ok: true });

    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hooks/kp');
    expect(req.query.get('source')).toBe('portal');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['x-kp-event-id']).toBe('evt_0001');
    expect(req.headers['x-kp-event-type']).toBe('key.usage_threshold');
    expect(signatureValid(req, SECRET)).toBe(true);
    expect(signatureValid(req, 'another-secret-entirely')).toBe(false);
    expect(verifySignature(SECRET, String(req.headers['x-kp-signature']), req.body, Date.now() / 1000)).toEqual({
      ok: true,
    });

    const body = JSON.parse(req.body);
    expect(body).toEqual({
      id: 'evt_0001',
      type: 'key.usage_threshold',
      time: '2025-06-01T02:00:00.000Z',
      language: 'zh-CN',
      subject: message.subject,
      text: expect.stringContaining('已用：US$9.50 / US$10.00'),
      data: {
        key: { id: 'k_42', name: expect.stringContaining('<!channel>') },
        limit: 'daily_cost',
        threshold: 95,
        used: 9.5,
        cap: 10,
        unit: 'usd',
      },
    });
    expect(body.text).toContain('https://portal.example.com/keys/k_42');
  });

  it('signs every attempt afresh and keeps the event id, so receivers de-duplicate', async () => {
    await notifier.send(channel(), sampleMessage('en', 'evt_same'));
    await notifier.send(channel(), sampleMessage('en', 'evt_same'));
    expect(receiver.requests.map((r) => r.headers['x-kp-event-id'])).toEqual(['evt_same', 'evt_same']);
    for (const r of receiver.requests) expect(signatureValid(r, SECRET)).toBe(true);
  });

  it.each([
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [429, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
  ])('answers HTTP %i: retryable %s', async (status, retryable) => {
    receiver.answer(() => ({ status, body: '{"error":"nope"}' }));
    const result = await notifier.send(channel(), sampleMessage());
    expect(result).toMatchObject({ ok: false, retryable, scope: 'channel' });
    expect(result.ok || result.error).toMatch(new RegExp(`^HTTP ${status}: \\{"error":"nope"\\}`));
  });

  it("honours the receiver's Retry-After", async () => {
    receiver.answer(() => ({ status: 429, headers: { 'retry-after': '7' } }));
    expect(await notifier.send(channel(), sampleMessage())).toMatchObject({ ok: false, retryAfterMs: 7_000 });
  });

  it('does not follow a redirect: the body and its signature stay with the checked host', async () => {
    receiver.answer(() => ({ status: 307, headers: { location: `${other.url}/stolen` } }));
    const result = await notifier.send(channel(), sampleMessage());
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok || result.error).toMatch(/redirects are not followed/);
    expect(receiver.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });

  it('gives up waiting for a receiver that never answers, and retries later', async () => {
    receiver.answer(() => ({ hang: true }));
    const result = await notifier.send(channel(), sampleMessage());
    expect(result).toMatchObject({ ok: false, retryable: true, scope: 'channel' });
    expect(result.ok || result.error).toMatch(/timed out/);
  });

  it('retries a receiver that is down (connection refused)', async () => {
    const port = await freePort();
    const result = await notifier.send({ ...channel(), url: `http://127.0.0.1:${port}/` }, sampleMessage());
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok || result.error).toMatch(/connection refused/);
  });
});
