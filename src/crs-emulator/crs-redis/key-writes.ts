import { type KeyRecord, raw } from '../key-record.js';
import type { KeySink } from '../usage-sink.js';
import { DAY, type QueuedWrites } from './writer.js';

const KEY_TTL = 365 * DAY;

/** What was last written of a key's indexed fields, to take it out of the indexes it leaves. */
interface Indexed {
  name: string;
  tags: string[];
}

/**
 * `apikey:<id>` hashes and the indexes CRS's index service keeps beside them (docs/crs.md §9.1): the hash with
 * every field as a string and a 365-day TTL refreshed on each write, `apikey:hash_map` (secret hash → id, gone
 * on soft delete), the id sets, the sorted sets for the list's sorts, the tag sets, and the index version that
 * tells CRS (and the direct reader) the indexes are complete.
 */
export function keyWrites(w: QueuedWrites, existing: Iterable<KeyRecord> = []): KeySink {
  // Keys already in Redis (a snapshot): what they are indexed under, so that a later change unindexes it.
  const indexed = new Map<string, Indexed>();
  for (const k of existing) indexed.set(k.id, { name: k.name, tags: [...k.tags] });
  let versionWritten = indexed.size > 0;

  const unindex = (id: string) => {
    const before = indexed.get(id);
    if (!before) return;
    const p = w.p;
    p.zrem('apikey:idx:name', `${before.name}\x00${id}`);
    for (const t of before.tags) p.srem(`apikey:tag:${t}`, id);
    indexed.delete(id);
  };

  return {
    saved(key) {
      unindex(key.id);
      const p = w.p;
      if (!versionWritten) {
        p.set('apikey:index:version', '2');
        versionWritten = true;
      }
      // Rewritten whole: fields a change drops (isDeleted after a restore) must not linger.
      p.del(`apikey:${key.id}`);
      keyCommands((cmd, ...args) => p.call(cmd, ...args), key);
      indexed.set(key.id, { name: key.name, tags: [...key.tags] });
    },

    used(key, ts) {
      // Each request stamps lastUsedAt and refreshes the hash's TTL (from the request's time).
      if (!w.alive(KEY_TTL, ts)) return;
      const hash = `apikey:${key.id}`;
      const p = w.p;
      p.hset(hash, 'lastUsedAt', key.lastUsedAt);
      p.zadd('apikey:idx:lastUsedAt', Date.parse(key.lastUsedAt), key.id);
      w.expire(p, hash, KEY_TTL, ts);
    },

    removed(key: KeyRecord) {
      unindex(key.id);
      const id = key.id;
      const p = w.p;
      p.del(`apikey:${id}`);
      p.hdel('apikey:hash_map', key.hash);
      for (const set of ['apikey:idx:all', 'apikey:set:active', 'apikey:set:deleted']) p.srem(set, id);
      for (const z of ['apikey:idx:createdAt', 'apikey:idx:lastUsedAt']) p.zrem(z, id);
    },
  };
}

/** One Redis command: its name, then its arguments. */
export type Send = (cmd: string, ...args: Array<string | number>) => void;

/**
 * Everything CRS keeps of one key as it is now, into an empty slot: the hash (365-day TTL), the hash map entry
 * of a live key, the id sets, the sorted sets and the tag sets. The mirror (after deleting the hash) and the
 * snapshot (snapshot.ts) both write a key through here, so the two agree by construction.
 */
export function keyCommands(send: Send, key: KeyRecord): void {
  const id = key.id;
  const hash = `apikey:${id}`;
  send('HSET', hash, ...Object.entries(raw(key)).flat());
  send('PEXPIRE', hash, KEY_TTL);
  send('SADD', 'apikey:idx:all', id);
  send('ZADD', 'apikey:idx:createdAt', Date.parse(key.createdAt), id);
  if (key.lastUsedAt) send('ZADD', 'apikey:idx:lastUsedAt', Date.parse(key.lastUsedAt), id);
  send('ZADD', 'apikey:idx:name', 0, `${key.name}\x00${id}`);
  if (key.isDeleted) {
    send('HDEL', 'apikey:hash_map', key.hash);
    send('SREM', 'apikey:set:active', id);
    send('SADD', 'apikey:set:deleted', id);
  } else {
    send('HSET', 'apikey:hash_map', key.hash, id);
    send('SREM', 'apikey:set:deleted', id);
    send(key.isActive ? 'SADD' : 'SREM', 'apikey:set:active', id);
  }
  for (const t of key.tags) {
    send('SADD', `apikey:tag:${t}`, id);
    send('SADD', 'apikey:tags:all', t);
  }
}
