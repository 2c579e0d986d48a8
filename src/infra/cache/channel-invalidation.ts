import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { MemoryTier } from './memory-tier.js';

/**
 * The second invalidation path between the instances' memory tiers, beside the Redis bus: a message channel
 * of the database they share (PostgreSQL LISTEN/NOTIFY, docs/decisions/017-invalidation-through-postgres.md).
 * With Redis down or absent, an invalidation on one instance reaches the others within the channel's delivery
 * time (milliseconds) instead of a TTL. Messages carry the memory tier's markers (memory-tier.ts applyMarker).
 */
export interface InvalidationChannel {
  publish(payload: string): Promise<void>;
  listen(onMessage: (payload: string) => void, onConnected: (afterGap: boolean) => void): void;
  connected(): boolean;
  close(): Promise<void>;
}

/** The database's channel the instances invalidate each other's memory through. */
export const CACHE_CHANNEL = 'kp_cache_invalidation';

/** NOTIFY payloads are limited to 8,000 bytes: markers are sent in batches below that. */
const MAX_PAYLOAD = 7000;

export class ChannelInvalidation {
  /** Our own messages come back to us: recognised by this id and skipped. */
  readonly #origin = randomBytes(6).toString('hex');
  #queue: string[] = [];
  #pending: Promise<void> | undefined;

  constructor(
    private readonly channel: InvalidationChannel,
    private readonly tier: MemoryTier,
    private readonly logger: FastifyBaseLogger,
  ) {
    channel.listen(this.#onMessage, (afterGap) => {
      // Messages sent while we were not listening are lost: drop everything they might have invalidated.
      if (afterGap) tier.applyMarker('all|');
    });
  }

  connected(): boolean {
    return this.channel.connected();
  }

  /**
   * Tells the other instances; resolves once sent. Markers published in the same turn of the event loop go in
   * one message (a sync invalidating a thousand users sends a handful). A failure is logged, not thrown: the
   * caller's own change is done, and an instance that misses messages clears its memory when it reconnects.
   */
  publish(marker: string): Promise<void> {
    this.#queue.push(marker);
    this.#pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#pending = undefined;
      return this.#send(this.#queue.splice(0));
    });
    return this.#pending;
  }

  async close(): Promise<void> {
    await this.#pending;
    await this.channel.close();
  }

  async #send(markers: string[]): Promise<void> {
    let batch: string[] = [];
    let size = 0;
    const flush = async () => {
      if (!batch.length) return;
      const payload = JSON.stringify({ o: this.#origin, m: batch });
      batch = [];
      size = 0;
      await this.channel
        .publish(payload)
        .catch((err: Error) =>
          this.logger.warn({ err: err.message }, 'could not send a cache invalidation through the database'),
        );
    };
    for (const marker of markers) {
      if (size + marker.length + 3 > MAX_PAYLOAD) await flush();
      batch.push(marker);
      size += marker.length + 3;
    }
    await flush();
  }

  #onMessage = (payload: string): void => {
    let message: { o?: unknown; m?: unknown };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    if (message.o === this.#origin || !Array.isArray(message.m)) return;
    for (const marker of message.m) if (typeof marker === 'string') this.tier.applyMarker(marker);
  };
}
