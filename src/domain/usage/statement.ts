import type { Db } from '../../infra/db/client.js';
import { everyUsersTotals } from '../../infra/db/repos/statements.js';
import { dailyRows, userKeys } from '../../infra/db/repos/usage.js';
import { modelRows } from '../../infra/db/repos/usage-models.js';
import { AppError } from '../errors.js';
import { fromMicros } from '../money.js';
import { type Acc, add, entry, getOrAdd, toTotals, zero } from './aggregate.js';
import { openBody } from './body.js';
import { splitByModel } from './by-model.js';
import { csvCell } from './csv.js';
import { crsDay, FIRST_DAY, monthRange } from './range.js';

/**
 * Monthly statements (docs/product.md §2.4), to split a shared bill: a user's month by key and by model, and the
 * operator's list of every user's totals. Months are CRS months (CRS days, its timezone); every figure is a sum of
 * the portal's daily rows, so a statement's totals are exactly those of the usage views for the same days.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** `month=YYYY-MM`, from 2000-01 to the current CRS month; absent: the current one. */
export function resolveMonth(month: string | undefined, now: Date, offset: number): string {
  const current = crsDay(now, offset).slice(0, 7);
  if (month === undefined) return current;
  let problem: string | undefined;
  if (!MONTH.test(month)) problem = 'must be a month YYYY-MM';
  else if (month < FIRST_DAY.slice(0, 7) || month > current) problem = `must be between 2000-01 and ${current}`;
  if (problem) throw new AppError('bad_request', `month: ${problem}`, [{ path: 'month', message: problem }]);
  return month;
}

const byCost = ([, a]: [unknown, Acc], [, b]: [unknown, Acc]) => b.costMicros - a.costMicros || b.tokens - a.tokens;

/** A user's month: totals, each key with usage (deleted ones too) split by model, and the month by model. */
export async function statementAnswer(db: Db, userId: string, month: string, timezone: string): Promise<string> {
  const days = monthRange(month);
  const [rows, keys, models] = await Promise.all([
    dailyRows(db, userId, days),
    userKeys(db, userId),
    modelRows(db, userId, days),
  ]);
  const total = zero();
  const perKey = new Map<string, { sum: Acc; models: Map<string | null, Acc> }>();
  const perModel = new Map<string | null, Acc>();
  for (const row of rows) add(total, row);
  for (const m of splitByModel(rows, models)) {
    const k = getOrAdd(perKey, m.apiKeyId, () => ({ sum: zero(), models: new Map<string | null, Acc>() }));
    add(k.sum, m);
    add(entry(k.models, m.model), m);
    add(entry(perModel, m.model), m);
  }
  const known = new Map(keys.map((k) => [k.id, k]));
  return openBody({
    month,
    range: { ...days, timezone },
    totals: toTotals(total),
    keys: [...perKey]
      .sort(([, a], [, b]) => b.sum.costMicros - a.sum.costMicros || b.sum.tokens - a.sum.tokens)
      .map(([keyId, k]) => ({
        keyId,
        name: known.get(keyId)?.name ?? keyId,
        status: known.get(keyId)?.status ?? 'deleted',
        ...toTotals(k.sum),
        models: [...k.models].sort(byCost).map(([model, a]) => ({ model, ...toTotals(a) })),
      })),
    byModel: [...perModel].sort(byCost).map(([model, a]) => ({ model, ...toTotals(a) })),
  });
}

/** Every user's month (the operator's bill split), largest cost first; users without usage show zeros. */
export async function adminStatementAnswer(db: Db, month: string, timezone: string): Promise<string> {
  const days = monthRange(month);
  const rows = await everyUsersTotals(db, days);
  const total = zero();
  for (const r of rows) add(total, r);
  return openBody({
    month,
    range: { ...days, timezone },
    totals: toTotals(total),
    users: rows.map(({ costMicros, ...r }) => ({ ...r, cost: fromMicros(costMicros) })),
  });
}

export const STATEMENT_COLUMNS = [
  'month',
  'userId',
  'email',
  'displayName',
  'keys',
  'requests',
  'tokens',
  'inputTokens',
  'outputTokens',
  'cacheCreateTokens',
  'cacheReadTokens',
  'cost',
] as const;

/** The operator's statement as CSV (UTF-8 with a BOM and CRLF lines, like the export), from its JSON answer. */
export function adminStatementCsv(open: string): string {
  const body = JSON.parse(`${open}}`) as { month: string; users: Array<Record<string, string | number>> };
  const text = new Set(['userId', 'email', 'displayName']);
  const lines = body.users.map((u) =>
    STATEMENT_COLUMNS.map((c) => (c === 'month' ? body.month : text.has(c) ? csvCell(String(u[c])) : u[c])).join(','),
  );
  return `\uFEFF${[STATEMENT_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
