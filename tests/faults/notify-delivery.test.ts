import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { notificationEvents } from '../../src/infra/db/schema.js';
import { verifySignature } from '../../src/infra/notify/webhook/signature.js';
import { parseMime } from '../helpers/mime.js';
import { startSmtp } from '../helpers/smtp-receiver.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { call, metric, waitUntil } from './support/http.js';
import { sleep } from './support/load.js';
import { report } from './support/report.js';
import { FaultStack, SYNC_INTERVAL_SEC } from './support/stack.js';

/**
 * Issue 14, "done when": each crossing raised once across two portal processes, and delivered at least once when
 * the leader is killed (-9) in the middle of a delivery and started again. Real processes (node src/main.ts), a
 * real SMTP server and a webhook receiver in this process, the CRS emulator.
 */
const smtp = await startSmtp();
const hook = await startReceiver();
const NOTIFY_TIMEOUT_MS = 2000;
const stack = await FaultStack.start({
  env: {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'portal@example.com',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    NOTIFY_TIMEOUT_MS: String(NOTIFY_TIMEOUT_MS),
    NOTIFY_DELIVERY_INTERVAL: '2',
    PUBLIC_URL: 'https://portal.example.com',
  },
});
afterAll(async () => {
  await stack.close();
  await Promise.all([smtp.close(), hook.close()]);
});

const user = await stack.user();
const added = await call(stack.a.url, '/api/notifications/channels', {
  method: 'POST',
  token: user.token,
  body: { type: 'webhook', url: `${hook.url}/portal`, events: ['usage'] },
});
if (added.status !== 201) throw new Error(`channel: ${added.status} ${added.text}`);
const secret: string = added.json.secret;

const keys = await Promise.all([1, 2, 3].map(() => stack.key(user, 0)));
for (const k of keys) {
  await call(stack.a.url, `/api/keys/${k.id}`, {
    method: 'PATCH',
    token: user.token,
    body: { limits: { dailyCostLimit: 1 } },
  });
}
/** Spends `usd` on a key in CRS, today (Sonnet input: $3 per million tokens). */
const spend = (crsKeyId: string, usd: number) =>
  stack.crs.store.recordUsage(crsKeyId, { inputTokens: Math.ceil(usd / 3e-6) });

const received = () => hook.requests.filter((r) => r.path === '/portal').map((r) => JSON.parse(r.body));
const usageEvents = async () =>
  stack.database.db.select().from(notificationEvents).where(eq(notificationEvents.kind, 'usage_threshold'));
const thresholdsOf = async (keyId: string) =>
  (await usageEvents())
    .filter((e) => (e.payload as { key: { id: string } }).key.id === keyId)
    .map((e) => (e.payload as { threshold: number }).threshold)
    .sort((a, b) => a - b);

describe('notifications across two instances', () => {
  it('raises each crossing once and delivers it once, whichever instance leads', async () => {
    for (const k of keys) spend(k.crsKeyId, 0.6);
    await waitUntil(
      'three 50 % events delivered',
      async () => ({ ok: received().length >= 3, last: received().length }),
      {
        timeoutMs: 60_000,
      },
    );
    // Several more cycles on two instances: nothing is raised or sent again.
    await sleep(3 * SYNC_INTERVAL_SEC * 1000);
    for (const k of keys) expect(await thresholdsOf(k.id)).toEqual([50]);
    const ids = received().map((b) => b.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    for (const r of hook.requests) {
      expect(verifySignature(secret, String(r.headers['x-kp-signature']), r.body, Date.now() / 1000)).toEqual({
        ok: true,
      });
    }
    const mails = smtp.mails.filter((m) => m.to.includes(user.email)).map((m) => parseMime(m.raw));
    expect(mails.map((m) => m.headers.get('x-kp-event-id')).sort()).toEqual([...ids].sort());
    report(
      '2 instances, 3 crossings',
      `${ids.length} events, ${hook.requests.length} webhook requests, ${mails.length} e-mails`,
    );
  });

  it('the leader killed in the middle of a delivery: the other instance delivers it once its lease ends, nothing twice after a restart', async () => {
    let hang = true;
    hook.answer(() => (hang ? { hang: true } : { status: 200, body: '{}' }));
    const before = received().length;
    spend(keys[0].crsKeyId, 0.4); // 1.00: the 100 % crossing
    await waitUntil('the delivery reaches the receiver and hangs', async () => received().length > before, {
      timeoutMs: 60_000,
    });
    const inFlight = received().at(-1);
    expect(inFlight).toMatchObject({ type: 'key.usage_threshold', data: { threshold: 100 } });

    const leaders = [];
    for (const p of stack.portals) if ((await metric(p.url, 'kp_leader')) === 1) leaders.push(p);
    expect(leaders).toHaveLength(1);
    const [leader] = leaders;
    const other = stack.portals.find((p) => p !== leader)!;
    await leader.kill9();
    hang = false;
    const tookOver = await waitUntil(
      `${other.name} delivers the event the killed leader had in flight`,
      async () => received().filter((b) => b.id === inFlight.id).length >= 2,
      { timeoutMs: 60_000 },
    );
    report('leader killed (-9) mid-delivery', `${other.name} delivered the same event id ${tookOver} ms later`);

    await leader.start();
    await sleep(3 * SYNC_INTERVAL_SEC * 1000);
    expect(
      received().filter((b) => b.id === inFlight.id),
      'the hung attempt and the delivery',
    ).toHaveLength(2);
    expect(await thresholdsOf(keys[0].id)).toEqual([50, 100]);
    const ids = received().map((b) => b.id);
    expect(ids.filter((id) => id !== inFlight.id)).toHaveLength(new Set(ids).size - 1);
    const row = (await usageEvents()).find((e) => e.id === inFlight.id);
    expect(row).toBeDefined();
    const log = await call(other.url, '/api/notifications/deliveries?pageSize=100', {
      token: await stack.login(user.email, other),
    });
    const entry = log.json.items.find(
      (e: { eventId: string; channel: { type: string } }) => e.eventId === inFlight.id && e.channel.type === 'webhook',
    );
    expect(entry).toMatchObject({ state: 'delivered', attempts: 2 });
  });
});
