import { Redis } from 'ioredis';
import pino from 'pino';
import { type Emulator, HAIKU, OPUS, SONNET, startEmulator } from '../../src/crs-emulator/index.js';
import { createCrsClient } from '../../src/infra/crs/client.js';
import type { CrsClient } from '../../src/infra/crs/types.js';
import { crsSource } from '../../src/infra/crs-redis/index.js';
import { createMetrics, type Metrics } from '../../src/infra/metrics/metrics.js';
import { RedisServer } from '../support/redis-server.js';

export const NOW = Date.parse('2026-11-25T20:32:00.000Z');
export const DAY = 86_400_000;
const READER = { user: 'crs-reader', password: 'reader-secret-1' };
/** A user that may log in and do nothing: a Redis that refuses the reader. */
const LOCKED = { user: 'locked', password: 'locked-secret-1' };

/**
 * The direct reader's world (docs/decisions/022, 037): a real Redis written by the emulator in Redis mode, the
 * Redis user README recommends (the four reads only), an admin API client of the same emulator, and a CRS that
 * holds keys of every kind — seeded history, today's and yesterday's usage on every model with cache tokens, a
 * disabled, a soft-deleted, a hard-deleted and an idle key, all tagged `portal`.
 */
export async function startCrsRedisWorld() {
  const server = await RedisServer.start();
  const admin = new Redis(server.url);
  // The user README recommends: CRS's key and usage names only, and only the four reads (no write, no KEYS,
  // no SCAN: CRS's own indexes name every key read).
  await admin.call('ACL', 'SETUSER', READER.user, 'on', `>${READER.password}`, '~apikey:*', '~usage:*', '-@all');
  await admin.call('ACL', 'SETUSER', READER.user, '+get', '+sscan', '+hmget', '+hget');
  await admin.call('ACL', 'SETUSER', LOCKED.user, 'on', `>${LOCKED.password}`, '~*', '-@all');
  const emu: Emulator = await startEmulator({ clock: () => NOW, redisUrl: server.url });
  const logLines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
  const api: CrsClient = createCrsClient({
    baseUrl: emu.url,
    username: 'admin',
    password: 'admin',
    timeoutMs: 2000,
    metrics: createMetrics(),
    logger,
  });

  const mk = (name: string) => emu.store.createKey({ name, tags: ['portal'] }).id;
  const [seeded, disabled, deleted, gone, live, idle] = ['seeded', 'disabled', 'deleted', 'gone', 'live', 'idle'].map(
    mk,
  );
  for (const [i, id] of [seeded, disabled, deleted, gone].entries()) {
    emu.store.seedHistory(id, { days: 35, requestsPerDay: 6 + i * 3, seed: i + 11 });
  }
  // Today and yesterday by hand: every model, cache tokens, one request just past CRS's midnight.
  const at = (daysAgo: number, h: number) => NOW - daysAgo * DAY - h * 3_600_000;
  for (const [model, daysAgo] of [
    [SONNET, 0],
    [OPUS, 0],
    [HAIKU, 1],
    ['unknown-model-x', 1],
  ] as const) {
    emu.store.recordUsage(live, {
      model,
      inputTokens: 1234,
      outputTokens: 567,
      cacheCreateTokens: 890,
      cacheReadTokens: 12_345,
      timestamp: at(daysAgo, 1),
    });
  }
  emu.store.keys.update(emu.store.getKey(disabled)!, { isActive: false });
  emu.store.keys.softDelete(emu.store.getKey(deleted)!, 'admin');
  const goneKey = emu.store.getKey(gone)!;
  emu.store.keys.softDelete(goneKey, 'admin');
  emu.store.keys.remove(goneKey);
  emu.store.usage.drop(gone);
  await emu.flushRedis();

  const closers: Array<() => Promise<void>> = [];
  const readerUrl = () => `redis://${READER.user}:${READER.password}@127.0.0.1:${server.port}`;
  const refusedUrl = () => `redis://${LOCKED.user}:${LOCKED.password}@127.0.0.1:${server.port}`;
  /** The admin API client with the direct reader in front, as the composition root builds it. */
  const direct = (url: string, metrics: Metrics = createMetrics()) => {
    const source = crsSource(
      api,
      { redisUrl: url, timeoutMs: 2000, timezoneOffset: 8 },
      { now: () => new Date(NOW), metrics, logger },
    );
    closers.push(source.close);
    return source.crs;
  };
  return {
    server,
    admin,
    emu,
    api,
    logLines,
    keys: { seeded, disabled, deleted, gone, live, idle },
    readerUrl,
    refusedUrl,
    direct,
    async close() {
      for (const close of closers) await close();
      await emu.close();
      admin.disconnect();
      await server.stop();
    },
  };
}
