import type { DailyRow } from '../../infra/db/repos/usage.js';
import type { ModelDayRow } from '../../infra/db/repos/usage-models.js';
import { type Acc, add, zero } from './aggregate.js';

/**
 * A key's day by model, where the portal knows it (docs/decisions/025). The sync reads CRS's per-key model figures
 * only for keys used since their last read, and only for today and yesterday; so a day is shown by model when its
 * model rows add up exactly to its daily row (every figure) — and otherwise as one row of unknown
 * model (`null`) carrying the daily row. Either way the rows of a day add up to the daily row: every total built
 * on them equals the sum of the daily rows.
 */

export interface ModelSplitRow extends Omit<DailyRow, 'apiKeyId' | 'day'> {
  apiKeyId: string;
  day: string;
  /** null: the day is not known by model (before the portal read its models, or a read that lags). */
  model: string | null;
}

const keyDay = (keyId: string, day: string) => `${keyId}|${day}`;

export function splitByModel(daily: DailyRow[], models: ModelDayRow[]): ModelSplitRow[] {
  const byDay = new Map<string, ModelDayRow[]>();
  for (const m of models) {
    const k = keyDay(m.apiKeyId, m.day);
    const list = byDay.get(k);
    if (list) list.push(m);
    else byDay.set(k, [m]);
  }
  const out: ModelSplitRow[] = [];
  for (const d of daily) {
    const ms = byDay.get(keyDay(d.apiKeyId, d.day));
    if (ms && complete(d, ms)) for (const m of ms) out.push({ ...m });
    else out.push({ ...d, model: null });
  }
  return out;
}

/**
 * Complete: the model rows add up to the daily row in every figure, the token split included (the sync gives a
 * complete day the models' exact split, repos/usage-models.ts), so the parts of any answer add up to its totals.
 */
function complete(d: DailyRow, ms: ModelDayRow[]): boolean {
  const sum = zero();
  for (const m of ms) add(sum, m);
  return (Object.keys(sum) as (keyof Acc)[]).every((k) => sum[k] === d[k]);
}
