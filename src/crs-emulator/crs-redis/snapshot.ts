import type { EmulatorStore } from '../store.js';
import type { KeySink, UsageSink } from '../usage-sink.js';
import { BulkWriter, type RedisTarget } from './bulk-writer.js';
import { keyCommands, type Send } from './key-writes.js';
import { globalWrites } from './snapshot-global.js';
import { keyUsageWrites, type ReaderWindow, recordsWrites } from './snapshot-usage.js';
import { SnapshotWrites } from './snapshot-writes.js';

export type { RedisTarget } from './bulk-writer.js';

export interface SnapshotOptions {
  /** Empty the target database first (FLUSHDB). Without it a non-empty database is refused. */
  replace?: boolean;
  /** Write the request logs (`usage:records:<id>`, default true): the bulk of the bytes, read by no sync. */
  records?: boolean;
  /**
   * Only what the portal's direct reader reads of the last `days` CRS days (and their hours): the benchmark's copy
   * of 100,000 keys for the sync's regular cycles. Not for the contract test: it is not the whole layout.
   */
  readerDays?: number;
}

export interface SnapshotReport {
  keys: number;
  commands: number;
  ms: number;
}

/**
 * Writes the emulator store's current state into an empty Redis in CRS 1.1.314's layout (docs/crs.md §9), as
 * final values — what the Redis mode (mirrorToRedis) would have left there had it been attached from the start,
 * but in seconds rather than command by command: one HSET (or SET) per key with its TTL, index sets filled across
 * keys, all pipelined on one connection with bounded back-pressure (bulk-writer.ts). The state must hold still
 * while it is copied: a change to the store during the snapshot (a relayed request, a key update) fails it, so
 * take it before traffic starts or while it is stopped. `tests/contract/redis-snapshot.test.ts` holds it equal
 * to the mirror, key by key; the tolerances are the comments of snapshot-usage.ts and snapshot-global.ts.
 */
export async function snapshotToRedis(
  store: EmulatorStore,
  target: RedisTarget,
  opts: SnapshotOptions = {},
): Promise<SnapshotReport> {
  const started = performance.now();
  const out = await BulkWriter.connect(target);
  const wire = tripwire(store);
  try {
    if (opts.replace) out.send('FLUSHDB');
    const existing = await out.integer('DBSIZE');
    if (existing > 0) throw new Error(`snapshotToRedis needs an empty Redis database; this one holds ${existing} keys`);
    const s = new SnapshotWrites(out, store.now());
    const { tz, models } = store.usage;
    globalWrites(s, store.usage.global, models);
    // Into an empty database: removals are no-ops, and the tag set is written once, whole.
    const send: Send = (cmd, ...args) => {
      if (cmd === 'SREM' || cmd === 'HDEL' || args[0] === 'apikey:tags:all') return;
      out.send(cmd, ...args);
    };
    if (store.keys.keys.size > 0) out.send('SET', 'apikey:index:version', '2');
    if (store.keys.tagsAll.size > 0) out.send('SADD', 'apikey:tags:all', ...store.keys.tagsAll);
    let keys = 0;
    const only = opts.readerDays ? readerWindow(store, opts.readerDays) : undefined;
    for (const key of store.keys.keys.values()) {
      keyCommands(send, key);
      const u = store.usage.keys.get(key.id);
      if (u) {
        keyUsageWrites(s, models, key.id, u, only);
        if (opts.records !== false && !only) recordsWrites(s, tz, key.id, u);
      }
      if (++keys % 64 === 0) await out.pace();
    }
    s.finishIndexes();
    await out.end();
    wire.check();
    return { keys, commands: out.commands, ms: Math.round(performance.now() - started) };
  } catch (e) {
    out.destroy();
    throw e;
  } finally {
    wire.restore();
  }
}

function readerWindow(store: EmulatorStore, days: number): ReaderWindow {
  const now = store.now();
  // Hours: the last day's (a regular cycle reads from the hour before its last read).
  return { fromDay: store.tz.dayNum(now) - days + 1, fromHour: store.tz.hourNum(now) - 24 };
}

/** Sinks that note any change of the store while it is copied (and pass it on to sinks already attached). */
function tripwire(store: EmulatorStore) {
  const usage = store.usage.sink;
  const keys = store.keys.sink;
  let changed = '';
  const note = (what: string) => {
    changed ||= what;
  };
  // Each call is noted, then passed on.
  const pass = <T extends object>(sink: T | undefined, what: Record<keyof T, string>): T =>
    Object.fromEntries(
      Object.entries(what).map(([name, label]) => [
        name,
        (...a: unknown[]) => {
          note(label as string);
          (sink?.[name as keyof T] as ((...a: unknown[]) => void) | undefined)?.apply(sink, a);
        },
      ]),
    ) as T;
  const usageSink = pass<UsageSink>(usage, {
    buckets: 'usage',
    hour: 'usage',
    opus: 'usage',
    record: 'usage',
    records: 'usage',
    drop: 'a permanent delete',
  });
  const keySink = pass<KeySink>(keys, { saved: 'a key change', used: 'usage', removed: 'a permanent delete' });
  store.usage.sink = usageSink;
  store.keys.sink = keySink;
  return {
    check() {
      if (changed)
        throw new Error(`the emulator's store changed during the Redis snapshot (${changed}): stop traffic first`);
    },
    restore() {
      store.usage.sink = usage;
      store.keys.sink = keys;
    },
  };
}
