import type { CrsUsageRecord } from '../../infra/crs/types.js';
import { AppError } from '../errors.js';

/** The request log's filters and page (GET /api/keys/:id/requests); times are ISO instants, inclusive. */
export interface RequestLogQuery {
  page?: number;
  pageSize?: number;
  model?: string;
  from?: string;
  to?: string;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * One page of a key's records after the filters, and what the filters may choose from (the models among them).
 * `durationMs` and `statusCode` stay in each item, null: CRS does not give them (docs/crs.md, quirk 20).
 */
export function requestPage(records: CrsUsageRecord[], q: RequestLogQuery) {
  const from = q.from === undefined ? undefined : Date.parse(q.from);
  const to = q.to === undefined ? undefined : Date.parse(q.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new AppError('bad_request', 'from: must not be after to', [
      { path: 'from', message: 'must not be after to' },
    ]);
  }
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  const items = records
    .filter((r) => {
      const t = Date.parse(r.timestamp);
      return (
        (q.model === undefined || r.model === q.model) &&
        (from === undefined || t >= from) &&
        (to === undefined || t <= to)
      );
    })
    .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    page,
    pageSize,
    total: items.length,
    models: [...new Set(records.map((r) => r.model))].sort(),
  };
}
