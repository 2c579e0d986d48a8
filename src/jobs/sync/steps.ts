import type { Deps } from '../../deps.js';
import { syncHourly } from './hourly-step.js';
import { readLimitFigures } from './limits-step.js';
import { readModels } from './models-step.js';
import { noChange, type StepOutcome } from './step-outcome.js';

/**
 * The sync's steps after its main transaction (docs/decisions/024, 025): the hourly history, the limit figures only
 * CRS counts, the per-model figures. Each is bounded per cycle whatever the number of users (config
 * `syncKeyReads`, at most 8 hourly calls), each runs on its own: a failing step is logged and leaves its previous
 * data, and never fails the cycle (the daily history and the totals are already committed).
 */
export async function runSteps(deps: Deps, full: boolean): Promise<StepOutcome> {
  const out = noChange();
  const steps: Array<[string, (d: Deps) => Promise<StepOutcome>]> = [
    ['hourly', (d) => syncHourly(d, full)],
    ['limits', readLimitFigures],
    ['models', readModels],
  ];
  for (const [name, step] of steps) {
    try {
      const r = await step(deps);
      for (const u of r.changedUsers) out.changedUsers.add(u);
      out.crsCalls += r.crsCalls;
    } catch (e) {
      deps.logger.warn({ step: name, err: (e as Error).message }, 'sync step failed; its previous data is kept');
    }
  }
  return out;
}
