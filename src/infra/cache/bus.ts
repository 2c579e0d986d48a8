import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { MemoryTier } from './memory-tier.js';

/**
 * The Redis bus: tells the other instances to drop (or stop trusting) their memory copies. Publishing uses the
 * fail-fast command connection — the same one as the entries' writes, so Redis applies a write before the
 * message that announces it — and a failed publish is retried, in order, every 2 s and when the subscriber is
 * back (at most 1,000 waiting: a long outage must not queue every write). Subscribing uses a patient
 * connection that ioredis re-subscribes after every reconnect.
 *
 * The wire format is the one bentocache 1.6's bus used — channel `bentocache.notifications:<prefix>`, message
 * `{"b": <sender>, "p": {"type", "keys", "namespace"}}` — so that during a rolling upgrade the instances of
 * either release understand each other (docs/decisions/021-owning-the-cache-tiers.md).
 */

export type BusMessageType = 'set' | 'delete';

/** A `delete` of `_inv:tag|user:1` applies that invalidation marker (memory-tier.ts applyMarker). */
export const MARKER_PREFIX = '_inv:';

const RETRY_EVERY_MS = 2000;
const RETRY_MAX = 1000;

export class RedisBus {
  /** Redis echoes our own messages back to us: recognised by this id and skipped. */
  readonly #id = randomBytes(12).toString('hex');
  readonly #channel: string;
  readonly #retry = new Set<string>();
  readonly #subscribed: Promise<void>;
  #timer?: NodeJS.Timeout;
  #flushing = false;

  constructor(
    private readonly publisher: Redis,
    subscriber: Redis,
    private readonly prefix: string,
    private readonly tier: MemoryTier,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.#channel = `bentocache.notifications:${prefix}`;
    subscriber.on('message', this.#onMessage);
    subscriber.on('ready', () => void this.#flush());
    this.#subscribed = subscriber.subscribe(this.#channel).then(
      () => undefined,
      // Only when the connection was closed on purpose: the subscriber queues while Redis is away.
      (err: Error) => this.logger.debug({ err: err.message }, 'bus subscribe failed'),
    );
  }

  /** Never rejects: a message that cannot be sent now is sent later. */
  async publish(type: BusMessageType, keys: string[]): Promise<void> {
    const message = JSON.stringify({ b: this.#id, p: { type, keys, namespace: this.prefix } });
    if (await this.#send(message)) return;
    if (this.#retry.size >= RETRY_MAX) this.#retry.delete(this.#retry.values().next().value as string);
    this.#retry.add(message);
    this.#timer ??= setInterval(() => void this.#flush(), RETRY_EVERY_MS).unref();
  }

  /** Markers (`tag|user:1`, `ns|stats`, …) for the other instances' memory tiers. */
  publishMarkers(markers: string[]): Promise<void> {
    return this.publish(
      'delete',
      markers.map((m) => MARKER_PREFIX + m),
    );
  }

  /** Resolves when the SUBSCRIBE has been acknowledged (or after `ms`): lets startup wait for the bus. */
  async whenSubscribed(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([this.#subscribed, timeout]);
    clearTimeout(timer);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#retry.clear();
  }

  async #send(message: string): Promise<boolean> {
    try {
      await this.publisher.publish(this.#channel, message);
      return true;
    } catch {
      return false;
    }
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (const message of this.#retry) {
        if (!(await this.#send(message))) return;
        this.#retry.delete(message);
      }
      clearInterval(this.#timer);
      this.#timer = undefined;
    } finally {
      this.#flushing = false;
    }
  }

  #onMessage = (channel: string, raw: string): void => {
    if (channel !== this.#channel) return;
    let data: { b?: unknown; p?: { type?: unknown; keys?: unknown } };
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    if (data.b === this.#id || !data.p || !Array.isArray(data.p.keys)) return;
    const { type, keys } = data.p;
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      if (type === 'delete') {
        this.tier.applyMarker(key.startsWith(MARKER_PREFIX) ? key.slice(MARKER_PREFIX.length) : `key|${key}`);
      } else if (type === 'set' || type === 'expire') {
        this.tier.expire(`${this.prefix}:${key}`);
      }
    }
    if (type === 'clear') this.tier.applyMarker('all|');
  };
}
