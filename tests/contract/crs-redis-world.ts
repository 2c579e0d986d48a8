import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import { RedisServer } from '../support/redis-server.js';

/**
 * The emulator in Redis mode against a Redis of the test file's own (CRS's names are unprefixed), emptied
 * before each test. NOW is 04:32 on 2026-11-26 in CRS's UTC+8: the date of the seeding recipe's hand example.
 */
export const DAY_S = 86_400;
export const NOW = Date.parse('2026-11-25T20:32:00.000Z');

export function crsRedisWorld() {
  const w = {
    server: undefined as unknown as RedisServer,
    redis: undefined as unknown as Redis,
    async emulator(opts: { now?: number; timezoneOffset?: number } = {}): Promise<Emulator> {
      const now = opts.now ?? NOW;
      const emu = await startEmulator({
        clock: () => now,
        redisUrl: w.server.url,
        timezoneOffset: opts.timezoneOffset,
      });
      emulators.push(emu);
      return emu;
    },
    ttl: (key: string) => w.redis.ttl(key),
  };
  const emulators: Emulator[] = [];
  beforeAll(async () => {
    w.server = await RedisServer.start();
    w.redis = new Redis(w.server.url);
  });
  afterAll(async () => {
    w.redis.disconnect();
    await w.server.stop();
  });
  beforeEach(async () => {
    await w.redis.flushall();
  });
  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((e) => e.close()));
  });
  return w;
}
