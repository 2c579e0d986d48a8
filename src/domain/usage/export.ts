import { Readable } from 'node:stream';
import type { Deps } from '../../deps.js';
import { dailyRows, userKeys } from '../../infra/db/repos/usage.js';
import { modelRows } from '../../infra/db/repos/usage-models.js';
import { notFound } from '../errors.js';
import { fromMicros } from '../money.js';
import { type ModelSplitRow, splitByModel } from './by-model.js';
import { csvCell } from './csv.js';
import { addDays, type DayRange, type RangeQuery, resolveRange } from './range.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportFile {
  filename: string;
  contentType: string;
  stream: Readable;
}

const CHUNK_DAYS = 31;

/**
 * The columns of both formats, in this order (docs/api.md §7): one row per day, key and model. `model` is empty
 * (CSV) or null (JSON) for a day the portal does not know by model; a day's rows add up to its daily figures.
 */
export const EXPORT_COLUMNS = [
  'date',
  'keyId',
  'key',
  'model',
  'requests',
  'tokens',
  'inputTokens',
  'outputTokens',
  'cacheCreateTokens',
  'cacheReadTokens',
  'cost',
] as const;

export interface ExportRow {
  date: string;
  keyId: string;
  key: string;
  model: string | null;
  requests: number;
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  cost: number;
}

/**
 * Daily usage per key and model from the portal's own history (so it reaches beyond CRS's 32 days), streamed a
 * month at a time so that a 366-day export of many keys never sits whole in memory.
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

async function* chunks(
  deps: Deps,
  userId: string,
  range: DayRange,
  keyId: string | undefined,
  names: Map<string, string>,
) {
  const { db } = deps.database;
  const keys = keyId ? [keyId] : undefined;
  for (let from = range.from; from <= range.to; from = addDays(from, CHUNK_DAYS)) {
    const end = addDays(from, CHUNK_DAYS - 1);
    // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as strings; Math.min would turn them into NaN
    const to = end < range.to ? end : range.to;
    const [daily, models] = await Promise.all([
      dailyRows(db, userId, { from, to }, keys),
      modelRows(db, userId, { from, to }, keys),
    ]);
    const name = (r: ModelSplitRow) => names.get(r.apiKeyId) ?? r.apiKeyId;
    const rows = splitByModel(daily, models).sort(
      (a, b) =>
        a.day.localeCompare(b.day) ||
        name(a).localeCompare(name(b)) ||
        a.apiKeyId.localeCompare(b.apiKeyId) ||
        (a.model ?? '').localeCompare(b.model ?? ''),
    );
    yield rows.map(
      (r): ExportRow => ({
        date: r.day,
        keyId: r.apiKeyId,
        key: name(r),
        model: r.model,
        requests: r.requests,
        tokens: r.tokens,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        cacheCreateTokens: r.cacheCreateTokens,
        cacheReadTokens: r.cacheReadTokens,
        cost: fromMicros(r.costMicros),
      }),
    );
  }
}

async function* csv(rows: AsyncIterable<ExportRow[]>) {
  yield `\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`;
  for await (const batch of rows) {
    if (batch.length) yield batch.map(csvLine).join('');
  }
}

function csvLine(r: ExportRow): string {
  const { date, keyId, key, model, requests, tokens, inputTokens, outputTokens, cacheCreateTokens, cacheReadTokens } =
    r;
  const split = `${inputTokens},${outputTokens},${cacheCreateTokens},${cacheReadTokens}`;
  return `${date},${keyId},${csvCell(key)},${csvCell(model ?? '')},${requests},${tokens},${split},${r.cost}\r\n`;
}

async function* json(rows: AsyncIterable<ExportRow[]>, range: DayRange) {
  yield `{"range":${JSON.stringify(range)},"columns":${JSON.stringify(EXPORT_COLUMNS)},"rows":[`;
  let first = true;
  for await (const batch of rows) {
    if (!batch.length) continue;
    yield `${first ? '' : ','}${batch.map((r) => JSON.stringify(r)).join(',')}`;
    first = false;
  }
  yield ']}';
}
