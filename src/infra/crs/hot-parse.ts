import { CrsInvalidResponse } from './failures.js';
import { JsonScanner, JsonStreamError } from './json-stream.js';
import { INVALID, looseNumber } from './loose.js';
import type { BodyReader } from './transport.js';
import type { BatchSink, CrsKeyUsage, CrsTrendEntry } from './types.js';

/**
 * Readers for the two answers the usage sync reads for every key (100,000 keys = tens to hundreds of MB): each
 * is read as it arrives (json-stream.ts), record by record. Same reading rules as loose.ts, but one tight
 * function per record: a bad number reads as NaN, and only when a record's sum is NaN does the slow path look
 * for the field to name. bench/micro/crs-parse.ts has the figures against zod.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** looseNumber with NaN for "invalid", so the caller can check a whole record at once. */
function n(v: unknown): number {
  if (typeof v === 'number') return v - v === 0 ? v : Number.NaN;
  const r = looseNumber(v);
  return r === INVALID ? Number.NaN : r;
}

function fail(endpoint: string, path: string, message: string): never {
  throw new CrsInvalidResponse(endpoint, `${path}: ${message}`);
}

/** Names the first field of `o` that does not read as a number. */
function failOnNumbers(endpoint: string, o: Obj, fields: readonly string[], path: string): never {
  const bad = fields.find((f) => o[f] !== undefined && looseNumber(o[f]) === INVALID);
  return fail(endpoint, `${path}.${bad ?? fields[0]}`, 'expected a number');
}

const USAGE_STATS = 'GET /admin/usage-stats';
const TOTAL_FIELDS = [
  'requests',
  'allTokens',
  'tokens',
  'inputTokens',
  'outputTokens',
  'cacheCreateTokens',
  'cacheReadTokens',
  'cost',
];

/** One entry of `data.stats` of GET /admin/usage-stats: a key's lifetime totals. */
function usageRecord(s: unknown, i: number): CrsKeyUsage {
  if (!isObj(s)) fail(USAGE_STATS, `data.stats.${i}`, 'expected an object');
  const keyId = s.keyId;
  if (typeof keyId !== 'string' || keyId === '') fail(USAGE_STATS, `data.stats.${i}.keyId`, 'expected an id');
  const name = s.keyName ?? '';
  if (typeof name !== 'string') fail(USAGE_STATS, `data.stats.${i}.keyName`, 'expected a string');
  const usage = s.usage;
  if (!isObj(usage)) fail(USAGE_STATS, `data.stats.${i}.usage`, 'expected an object');
  const t = usage.total ?? {};
  if (!isObj(t)) fail(USAGE_STATS, `data.stats.${i}.usage.total`, 'expected an object');
  const total = {
    requests: n(t.requests),
    // total.tokens equals allTokens here (unlike daily/monthly, which are input+output only).
    tokens: n(t.allTokens ?? t.tokens),
    inputTokens: n(t.inputTokens),
    outputTokens: n(t.outputTokens),
    cacheCreateTokens: n(t.cacheCreateTokens),
    cacheReadTokens: n(t.cacheReadTokens),
    cost: n(t.cost ?? usage.totalCost),
  };
  const sum =
    total.requests +
    total.tokens +
    total.inputTokens +
    total.outputTokens +
    total.cacheCreateTokens +
    total.cacheReadTokens +
    total.cost;
  if (Number.isNaN(sum)) {
    if (t.cost === undefined && Number.isNaN(total.cost)) {
      failOnNumbers(USAGE_STATS, usage, ['totalCost'], `data.stats.${i}.usage`);
    }
    failOnNumbers(USAGE_STATS, t, TOTAL_FIELDS, `data.stats.${i}.usage.total`);
  }
  return { keyId, name, total };
}

/** GET /admin/usage-stats, scanned as it arrives: `onRecord` gets each key's lifetime totals in turn. */
function usageStatsScanner(onRecord: (u: CrsKeyUsage) => void) {
  let sawStats = false;
  const scanner = new JsonScanner({
    select: (p) => p.length === 3 && p[1] === 'stats' && p[0] === 'data',
    onValue: (p, v) => onRecord(usageRecord(v, p[2] as number)),
    onOpen: (p, isArray) => {
      if (p.length === 2 && p[0] === 'data' && p[1] === 'stats') sawStats = isArray;
    },
  });
  return {
    write: (text: string) => scanned(USAGE_STATS, () => scanner.write(text)),
    end() {
      scanned(USAGE_STATS, () => scanner.end());
      if (!sawStats) fail(USAGE_STATS, 'data.stats', 'expected an array');
    },
  };
}

/**
 * GET /admin/usage-stats, read as it arrives → lifetime totals per non-deleted key, handed to `sink` `batchSize`
 * at a time (awaited: the next chunk is read when the batch is done). `sink.restart` runs before anything of this
 * attempt is handed over.
 */
export function usageStatsReader(sink: BatchSink<CrsKeyUsage>, batchSize = 5000): BodyReader<Promise<void>> {
  let batch: CrsKeyUsage[] = [];
  let started: Promise<unknown> | undefined;
  const scanner = usageStatsScanner((u) => batch.push(u));
  const flush = async (all: boolean) => {
    started ??= Promise.resolve(sink.restart?.());
    await started;
    if (batch.length === 0 || (!all && batch.length < batchSize)) return;
    const full = batch;
    batch = [];
    await sink.write(full);
  };
  return {
    write(text) {
      scanner.write(text);
      return batch.length >= batchSize ? flush(false) : undefined;
    },
    async end() {
      scanner.end();
      await flush(true);
    },
  };
}

const KEYS_TREND = 'GET /admin/api-keys-usage-trend';
const TREND_FIELDS = ['tokens', 'requests', 'cost'];

type Path = readonly (string | number)[];
const isTrendBucket = (field: 'date' | 'hour') => (p: Path) => p.length === 3 && p[2] === field && p[0] === 'data';
const isTrendKey = (p: readonly (string | number)[]) => p.length === 4 && p[2] === 'apiKeys' && p[0] === 'data';

/**
 * GET /admin/api-keys-usage-trend?granularity=day, read as it arrives: one entry per key and CRS day with usage,
 * handed to `onBatch` `batchSize` at a time (awaited: the next chunk is read when the batch is done). At
 * 100,000 keys a 31-day answer is ~400 MB of JSON; this way it never sits in memory.
 */
export function keysTrendReader(
  onBatch: (entries: CrsTrendEntry[]) => unknown,
  batchSize = 5000,
  /** `hour` for granularity=hour: each bucket is named by its UTC instant, handed over as the entry's `date`. */
  bucket: 'date' | 'hour' = 'date',
): BodyReader<Promise<void>> {
  const isTrendDate = isTrendBucket(bucket);
  let batch: CrsTrendEntry[] = [];
  let sawData = false;
  let day = -1;
  let date: string | undefined;
  /** Entries of the current day read before its date (CRS sends the date first; JSON does not promise it). */
  let early: Array<Omit<CrsTrendEntry, 'date'>> = [];
  const endDay = () => {
    if (day >= 0 && date === undefined) fail(KEYS_TREND, `data.${day}.${bucket}`, `expected a ${bucket}`);
  };
  const scanner = new JsonScanner({
    select: (p) => isTrendKey(p) || isTrendDate(p),
    onOpen: (p, isArray) => {
      if (p.length === 1 && p[0] === 'data') sawData = isArray;
      else if (p.length === 2 && p[0] === 'data') {
        endDay();
        day = p[1] as number;
        date = undefined;
      } else if (p.length === 3 && p[2] === 'apiKeys' && isArray)
        fail(KEYS_TREND, `data.${day}.apiKeys`, 'expected an object');
    },
    onValue: (p, v) => {
      if (isTrendDate(p)) {
        if (typeof v !== 'string') fail(KEYS_TREND, `data.${day}.${bucket}`, `expected a ${bucket}`);
        date = v;
        for (const e of early) batch.push({ ...e, date });
        early = [];
        return;
      }
      const keyId = p[3] as string;
      const e = trendValue(v, `data.${day}.apiKeys.${keyId}`);
      if (date === undefined) early.push({ keyId, ...e });
      else batch.push({ date, keyId, ...e });
    },
  });
  const flush = async (all: boolean) => {
    if (batch.length === 0 || (!all && batch.length < batchSize)) return;
    const full = batch;
    batch = [];
    await onBatch(full);
  };
  return {
    write(text) {
      scanned(KEYS_TREND, () => scanner.write(text));
      return batch.length >= batchSize ? flush(false) : undefined;
    },
    async end() {
      scanned(KEYS_TREND, () => scanner.end());
      if (!sawData) fail(KEYS_TREND, 'data', 'expected an array');
      endDay();
      await flush(true);
    },
  };
}

function trendValue(k: unknown, path: string): { tokens: number; requests: number; cost: number } {
  if (!isObj(k)) fail(KEYS_TREND, path, 'expected an object');
  const v = { tokens: n(k.tokens), requests: n(k.requests), cost: n(k.cost) };
  if (Number.isNaN(v.tokens + v.requests + v.cost)) failOnNumbers(KEYS_TREND, k, TREND_FIELDS, path);
  return v;
}

/** A syntax error in the stream is an unreadable CRS answer, like any other. */
function scanned(endpoint: string, step: () => void): void {
  try {
    step();
  } catch (e) {
    if (e instanceof JsonStreamError) throw new CrsInvalidResponse(endpoint, e.message);
    throw e;
  }
}

/** The readers fed one whole text (tests, bench/micro): the transport feeds chunks of ~64 KB instead. */
export function readUsageStats(text: string): CrsKeyUsage[] {
  const out: CrsKeyUsage[] = [];
  const scanner = usageStatsScanner((u) => out.push(u));
  scanner.write(text);
  scanner.end();
  return out;
}

export async function readKeysTrend(text: string): Promise<CrsTrendEntry[]> {
  const out: CrsTrendEntry[] = [];
  const reader = keysTrendReader((entries) => {
    for (const e of entries) out.push(e);
  });
  await reader.write(text);
  await reader.end();
  return out;
}
