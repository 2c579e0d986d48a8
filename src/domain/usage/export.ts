import { Readable } from 'node:stream';
import type { Deps } from '../../deps.js';
import { dailyRows, userKeys } from '../../infra/db/repos/usage.js';
import { notFound } from '../errors.js';
import { fromMicros } from '../money.js';
import { addDays, type DayRange, type RangeQuery, resolveRange } from './range.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportFile {
  filename: string;
  contentType: string;
  stream: Readable;
}

const CHUNK_DAYS = 31;
const COLUMNS = ['date', 'key', 'requests', 'tokens', 'cost'];

/**
 * Daily usage per key from the portal's own history (so it reaches beyond CRS's 32 days), streamed a month at a
 * time so that a 366-day export of many keys never sits whole in memory.
 */
export async function exportUsage(
  deps: Deps,
  userId: string,
  q: RangeQuery & { keyId?: string; format: ExportFormat },
): Promise<ExportFile> {
  const range = resolveRange(q, deps.clock(), deps.config.crs.timezoneOffset);
  const keys = await userKeys(deps.database.db, userId);
  if (q.keyId && !keys.some((k) => k.id === q.keyId)) throw notFound('Key');
  const names = new Map(keys.map((k) => [k.id, k.name]));
  const rows = chunks(deps, userId, range, q.keyId, names);
  const stream = Readable.from(q.format === 'csv' ? csv(rows) : json(rows, range));
  return {
    filename: `usage-${range.from}-${range.to}.${q.format}`,
    contentType: q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    stream,
  };
}

interface ExportRow {
  date: string;
  keyId: string;
  key: string;
  requests: number;
  tokens: number;
  cost: number;
}

async function* chunks(
  deps: Deps,
  userId: string,
  range: DayRange,
  keyId: string | undefined,
  names: Map<string, string>,
) {
  for (let from = range.from; from <= range.to; from = addDays(from, CHUNK_DAYS)) {
    const end = addDays(from, CHUNK_DAYS - 1);
    // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings; Math.min would turn them into NaN
    const to = end < range.to ? end : range.to;
    const rows = await dailyRows(deps.database.db, userId, { ...range, from, to }, keyId ? [keyId] : undefined);
    rows.sort(
      (a, b) => a.day.localeCompare(b.day) || (names.get(a.apiKeyId) ?? '').localeCompare(names.get(b.apiKeyId) ?? ''),
    );
    yield rows.map(
      (r): ExportRow => ({
        date: r.day,
        keyId: r.apiKeyId,
        key: names.get(r.apiKeyId) ?? r.apiKeyId,
        requests: r.requests,
        tokens: r.tokens,
        cost: fromMicros(r.costMicros),
      }),
    );
  }
}

/** Excel opens UTF-8 only with a BOM; a cell starting with = + - @ would be run as a formula, so it is quoted. */
async function* csv(rows: AsyncIterable<ExportRow[]>) {
  yield `\uFEFF${COLUMNS.join(',')}\r\n`;
  for await (const batch of rows) {
    if (batch.length)
      yield batch.map((r) => `${r.date},${cell(r.key)},${r.requests},${r.tokens},${r.cost}\r\n`).join('');
  }
}

function cell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replaceAll('"', '""')}"` : safe;
}

async function* json(rows: AsyncIterable<ExportRow[]>, range: DayRange) {
  yield `{"range":${JSON.stringify(range)},"columns":${JSON.stringify(COLUMNS)},"rows":[`;
  let first = true;
  for await (const batch of rows) {
    if (!batch.length) continue;
    yield `${first ? '' : ','}${batch.map((r) => JSON.stringify(r)).join(',')}`;
    first = false;
  }
  yield ']}';
}
