import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';

/**
 * PostgreSQL LISTEN/NOTIFY as a message channel between the portal instances sharing a database
 * (docs/decisions/017-invalidation-through-postgres.md). Publishing uses the pool; listening uses a connection
 * of its own that reconnects forever and is pinged, so `connected()` is true only while messages really arrive.
 */
export interface NotifyChannel {
  /** Sends one message (NOTIFY payloads are limited to 8,000 bytes). */
  publish(payload: string): Promise<void>;
  /**
   * `onMessage` for every message; `onConnected(afterGap)` each time listening (re)starts — `afterGap` when
   * messages may have been missed since the previous connection.
   */
  listen(onMessage: (payload: string) => void, onConnected: (afterGap: boolean) => void): void;
  connected(): boolean;
  close(): Promise<void>;
}

const PING_EVERY_MS = 5000;
/** The application_name of a channel's listener connection. */
export const listenerName = (channel: string) => `kp-listen:${channel}`;
const PING_TIMEOUT_MS = 2000;
const reconnectDelay = (attempt: number) => Math.min(attempt * 200, 5000);

export function createNotifyChannel(
  pool: pg.Pool,
  Client: typeof pg.Client,
  url: string,
  channel: string,
  logger: FastifyBaseLogger,
): NotifyChannel {
  const log = logger.child({ component: 'notify', channel });
  let client: pg.Client | undefined;
  let listening = false;
  let everConnected = false;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;
  let handlers: { onMessage: (p: string) => void; onConnected: (afterGap: boolean) => void } | undefined;

  /** Ends `dead` (if it is still the current connection) and schedules the next attempt. */
  const drop = (dead: pg.Client, why: string) => {
    if (client !== dead) return;
    client = undefined;
    clearInterval(ping);
    if (listening) log.warn({ why }, 'invalidation listener disconnected; reconnecting');
    listening = false;
    dead.removeAllListeners('notification');
    dead.on('error', () => {});
    dead.end().catch(() => undefined);
    if (!closed) {
      retry = setTimeout(connect, reconnectDelay(++attempt));
      retry.unref();
    }
  };

  async function connect(): Promise<void> {
    if (closed || !handlers) return;
    // Named, so an operator (and a test) can tell the listener from the pool's connections in pg_stat_activity:
    // its last query is the ping's `select 1` as often as its LISTEN.
    const c = new Client({
      connectionString: url,
      connectionTimeoutMillis: 3000,
      keepAlive: true,
      application_name: listenerName(channel),
    });
    client = c;
    c.on('error', (err: Error) => drop(c, err.message));
    c.on('end', () => drop(c, 'connection ended'));
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) handlers?.onMessage(msg.payload);
    });
    try {
      await c.connect();
      await c.query(`listen "${channel}"`);
    } catch (err) {
      if (attempt === 0) log.warn({ err: (err as Error).message }, 'invalidation listener could not connect');
      drop(c, (err as Error).message);
      return;
    }
    if (client !== c) return;
    listening = true;
    attempt = 0;
    const afterGap = everConnected;
    everConnected = true;
    if (afterGap) log.info('invalidation listener reconnected');
    handlers.onConnected(afterGap);
    // A server that stops answering without closing the connection sends no 'end': notice it by pinging.
    ping = setInterval(() => {
      const timeout = setTimeout(() => drop(c, `no answer to a ping within ${PING_TIMEOUT_MS} ms`), PING_TIMEOUT_MS);
      c.query('select 1').then(
        () => clearTimeout(timeout),
        (err: Error) => {
          clearTimeout(timeout);
          drop(c, err.message);
        },
      );
    }, PING_EVERY_MS);
    ping.unref();
  }

  return {
    async publish(payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    listen(onMessage, onConnected) {
      handlers = { onMessage, onConnected };
      void connect();
    },
    connected: () => listening,
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(ping);
      const c = client;
      client = undefined;
      listening = false;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => undefined);
      }
    },
  };
}
