import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RowTable } from './buckets.js';
import type { KeyRecord } from './key-record.js';
import { KeyUsage, type RateWindow } from './key-usage.js';
import type { RecordLog } from './records.js';
import type { EmulatorStore } from './store.js';

/**
 * The demo's state on disk: keys (hashes only — a plaintext key never exists after create), the tag set and
 * every usage table. Written atomically (temp file + rename) so a crash leaves the previous file intact.
 */
const VERSION = 1;

type SavedTable = { ttl: number; rows: number[] };
interface SavedUsage {
  tot: number[];
  costTotal: number;
  alltime: SavedTable;
  daily: SavedTable;
  monthly: SavedTable;
  hourly: SavedTable;
  costDay: number;
  dayCost: number;
  opusWeek: number;
  opusCost: number;
  /** Absent in files written before the opus weeks were kept. */
  opusWeeks?: SavedTable | null;
  records: { segs: RecordLog['segs']; lastPush: number };
  window: RateWindow | null;
}
interface SavedState {
  version: number;
  models: string[];
  keys: KeyRecord[];
  tagsAll: string[];
  usage: Record<string, SavedUsage>;
  global: {
    total: number[];
    daily: number[][];
    monthly: number[][];
    hourly: number[][];
    minutes: [number, number[]][];
  };
}

export function serialize(store: EmulatorStore): string {
  const usage: Record<string, SavedUsage> = {};
  for (const [id, u] of store.usage.keys) {
    usage[id] = {
      tot: Array.from(u.tot),
      costTotal: u.costTotal,
      alltime: u.alltime.toJSON(),
      daily: u.daily.toJSON(),
      monthly: u.monthly.toJSON(),
      hourly: u.hourly.toJSON(),
      costDay: u.costDay,
      dayCost: u.dayCost,
      opusWeek: u.opusWeek,
      opusCost: u.opusCost,
      opusWeeks: u.opusWeeks?.toJSON() ?? null,
      records: { segs: u.records.segs, lastPush: u.records.lastPush },
      window: u.window,
    };
  }
  const g = store.usage.global;
  return JSON.stringify({
    version: VERSION,
    savedAt: new Date(store.now()).toISOString(),
    timezoneOffset: store.tz.offsetHours,
    models: store.usage.models,
    keys: [...store.keys.keys.values()],
    tagsAll: [...store.keys.tagsAll],
    usage,
    global: {
      total: Array.from(g.total),
      daily: g.daily.toJSON(),
      monthly: g.monthly.toJSON(),
      hourly: g.hourly.toJSON(),
      minutes: [...g.minutes.entries()],
    },
  });
}

export async function saveAtomically(file: string, store: EmulatorStore): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, serialize(store), { mode: 0o600 });
  await rename(tmp, file);
}

/** Loads `file` into an empty store; false when there is no file. */
export function load(file: string, store: EmulatorStore): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const j = JSON.parse(text) as SavedState;
  if (j.version !== VERSION) throw new Error(`${file}: unsupported emulator data version ${j.version}`);
  for (const m of j.models) store.usage.modelId(m);
  for (const k of j.keys) {
    store.keys.keys.set(k.id, k);
    if (!k.isDeleted) store.keys.byHash.set(k.hash, k.id);
  }
  for (const t of j.tagsAll) store.keys.tagsAll.add(t);
  store.keys.version++;
  for (const [id, s] of Object.entries(j.usage)) {
    const u = new KeyUsage();
    u.tot.set(s.tot);
    u.costTotal = s.costTotal;
    u.alltime = RowTable.fromJSON({ ...s.alltime, ttl: Number.POSITIVE_INFINITY });
    u.daily = RowTable.fromJSON(s.daily);
    u.monthly = RowTable.fromJSON(s.monthly);
    u.hourly = RowTable.fromJSON(s.hourly);
    u.costDay = s.costDay;
    u.dayCost = s.dayCost;
    u.opusWeek = s.opusWeek;
    u.opusCost = s.opusCost;
    u.opusWeeks = s.opusWeeks ? RowTable.fromJSON(s.opusWeeks) : null;
    u.records.segs = s.records.segs;
    u.records.lastPush = s.records.lastPush;
    u.window = s.window;
    store.usage.keys.set(id, u);
  }
  const g = store.usage.global;
  g.total.set(j.global.total);
  g.daily.load(j.global.daily);
  g.monthly.load(j.global.monthly);
  g.hourly.load(j.global.hourly);
  for (const [m, v] of j.global.minutes) g.minutes.set(m, v);
  return true;
}
