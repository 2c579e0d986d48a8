import type { BusDriver, CreateBusDriverResult } from 'bentocache/types';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * The bentocache bus over Redis pub/sub, with connections we configure ourselves. bentocache's own
 * `redisBusDriver` gives the publisher and the subscriber the same options, and subscribes without handling a
 * rejection: with our fail-fast options that SUBSCRIBE fails while Redis is down (an unhandled rejection) and is
 * never retried. Here publishing uses the fail-fast command connection (a failed publish goes to bentocache's
 * retry queue), and subscribing uses a patient connection that ioredis re-subscribes after every reconnect.
 */
export class RedisBusTransport implements BusDriver {
  #id = '';
  #handlers = new Map<string, Array<(message: unknown) => void>>();
  #subscribed = new Map<string, Promise<void>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: FastifyBaseLogger,
  ) {
    subscriber.on('message', this.#onMessage);
  }

  setId(id: string): this {
    this.#id = id;
    return this;
  }

  /** Called when the subscriber is back: bentocache then replays the messages it failed to publish. */
  onReconnect(callback: () => void): void {
    this.subscriber.on('ready', callback);
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.publisher.publish(channel, JSON.stringify({ b: this.#id, p: message }));
  }

  subscribe(channel: string, handler: (message: never) => void): Promise<void> {
    const handlers = this.#handlers.get(channel) ?? [];
    handlers.push(handler as (message: unknown) => void);
    this.#handlers.set(channel, handlers);
    const done = this.subscriber.subscribe(channel).then(
      () => undefined,
      // Only when the connection was closed on purpose; bentocache would not handle the rejection.
      (err: Error) => this.logger.debug({ err: err.message, channel }, 'bus subscribe failed'),
    );
    this.#subscribed.set(channel, done);
    return done;
  }

  /** Resolves when every SUBSCRIBE has been acknowledged (or after `ms`): lets startup wait for the bus. */
  async whenSubscribed(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([Promise.all(this.#subscribed.values()), timeout]);
    clearTimeout(timer);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.#handlers.delete(channel);
    await this.subscriber.unsubscribe(channel).catch(() => {});
  }

  async disconnect(): Promise<void> {
    this.subscriber.disconnect();
  }

  #onMessage = (channel: string, raw: string): void => {
    const handlers = this.#handlers.get(channel);
    if (!handlers) return;
    let data: { b?: unknown; p?: unknown };
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    // Redis echoes our own messages back to us: our memory tier is already up to date.
    if (data.b === this.#id || data.p === undefined) return;
    for (const handler of handlers) handler(data.p);
  };
}

export function busDriver(transport: RedisBusTransport): CreateBusDriverResult {
  // A bounded retry queue: during a long outage every write would otherwise queue a message forever.
  return { options: { retryQueue: { enabled: true, maxSize: 1000, retryInterval: 2000 } }, factory: () => transport };
}
