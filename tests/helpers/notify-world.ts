import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, expect } from 'vitest';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import { notificationDeliveries, notificationEvents } from '../../src/infra/db/schema.js';
import { createTestApp, type TestApp } from './app.js';
import { createKey } from './keys.js';
import { authHeaders, createUser, type TestUser } from './security-suite.js';
import { type SmtpReceiver, startSmtp } from './smtp-receiver.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

/** Sonnet's input price (src/crs-emulator/pricing.ts): USD per token. */
const SONNET_INPUT_USD = 3e-6;

export const NOTIFY_PUBLIC_URL = 'https://portal.example.com';

/**
 * A deployment for notification tests, all real: the portal (its own database, real Redis), the CRS emulator, an
 * SMTP server and a webhook receiver in this process, and one clock the portal and CRS share, which tests move
 * forward (days, retry delays) while timers stay real.
 */
export interface NotifyWorld {
  t: TestApp;
  emulator: Emulator;
  smtp: SmtpReceiver;
  hook: Receiver;
  /** Moves the shared clock forward. */
  advance(ms: number): void;
  now(): Date;
  /** A second portal instance on the same database, Redis prefix and CRS. */
  instance(): Promise<TestApp>;
  sync(app?: TestApp): Promise<void>;
  deliver(app?: TestApp): Promise<{ sent: number; failed: number }>;
  /** Spends `usd` on the key in CRS (one Sonnet request of that many input tokens, now). */
  spend(crsKeyId: string, usd: number): void;
  user(opts?: { role?: 'user' | 'admin' }): Promise<TestUser>;
  key(user: TestUser, payload?: Record<string, unknown>): Promise<{ id: string; crsKeyId: string }>;
  events(): Promise<Array<typeof notificationEvents.$inferSelect>>;
  deliveries(): Promise<Array<typeof notificationDeliveries.$inferSelect>>;
  /** An API call as `user` (bearer) on the first instance. */
  api(
    user: TestUser,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: InjectOptions['payload'],
  ): Promise<LightMyRequestResponse>;
  /** A generic webhook channel of `user`'s for `events`, at `path` of the world's receiver unless `url` is given. */
  addWebhook(
    user: TestUser,
    path: string,
    events: string[],
    url?: string,
  ): Promise<{ channel: { id: string }; secret: string }>;
  /** A key of `user`'s with a $1 daily limit and $0.60 spent today: its next sync raises the 50 % crossing. */
  crossing(user: TestUser): Promise<{ id: string; crsKeyId: string }>;
}

export async function notifyWorld(env: Record<string, string> = {}): Promise<NotifyWorld> {
  let offsetMs = 0;
  const nowMs = () => Date.now() + offsetMs;
  const clock = () => new Date(nowMs());
  const [smtp, hook] = await Promise.all([startSmtp(), startReceiver()]);
  const emulator = await startEmulator({ latency: 'fast', port: 0, clock: nowMs });
  const fullEnv = {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Claude Key Portal <portal@example.com>',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    NOTIFY_TIMEOUT_MS: '1000',
    PUBLIC_URL: NOTIFY_PUBLIC_URL,
    ...env,
  };
  const prefix = `kp-notify-${Math.random().toString(36).slice(2, 8)}`;
  const t = await createTestApp({ emulator, clock, env: fullEnv, redisPrefix: prefix });
  afterAll(async () => {
    await Promise.all([smtp.close(), hook.close()]);
    await emulator.close();
  });
  const { db } = t.deps.database;
  const world: NotifyWorld = {
    t,
    emulator,
    smtp,
    hook,
    advance: (ms) => {
      offsetMs += ms;
    },
    now: clock,
    instance: () => createTestApp({ emulator, clock, env: fullEnv, redisPrefix: prefix, databaseUrl: t.databaseUrl }),
    async sync(app = t) {
      const report = await app.app.services.sync.runNow();
      if (!report?.ok) throw new Error(`sync failed: ${report?.error ?? 'lock held elsewhere'}`);
    },
    deliver: (app = t) => app.app.services.notifications.deliverer.runOnce(),
    spend(crsKeyId, usd) {
      emulator.store.recordUsage(crsKeyId, { inputTokens: Math.ceil(usd / SONNET_INPUT_USD) });
    },
    user: (opts = {}) => createUser(t, opts),
    async key(user, payload = {}) {
      const k = await createKey(t, user, payload);
      return { id: k.id, crsKeyId: k.crsKeyId };
    },
    events: () => db.select().from(notificationEvents).orderBy(notificationEvents.createdAt, notificationEvents.id),
    deliveries: () => db.select().from(notificationDeliveries).orderBy(notificationDeliveries.id),
    api: (user, method, url, payload) =>
      t.app.inject({ method, url, headers: authHeaders(user), ...(payload === undefined ? {} : { payload }) }),
    async addWebhook(user, path, events, url = `${hook.url}${path}`) {
      const res = await world.api(user, 'POST', '/api/notifications/channels', {
        type: 'webhook',
        url,
        events,
        label: path,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    async crossing(user) {
      const key = await world.key(user, { limits: { dailyCostLimit: 1 } });
      world.spend(key.crsKeyId, 0.6);
      return key;
    },
  };
  return world;
}
