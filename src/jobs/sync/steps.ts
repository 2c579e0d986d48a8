import type { Deps } from '../../deps.js';
import { readSetting, writeSetting } from '../../infra/db/repos/settings.js';
import { syncHourly } from './hourly-step.js';
import { readLimitFigures } from './limits-step.js';
import { readModels } from './models-step.js';
import { noChange, type StepOutcome } from './step-outcome.js';

/**
 * A paced step runs again only once this many times its last duration has passed since it last started: at most
 * a quarter of the sync's time goes to it, whatever CRS's speed (docs/decisions/037).
 */
export const PACE = 4;
/** Steps that took less than this always run again: pacing is for CRS's cost at scale, not for small portals. */
export const PACED_FROM_MS = 1000;

type Step = (d: Deps, full: boolean) => Promise<StepOutcome>;

/**
 * The sync's steps after its main transaction (docs/decisions/024, 025): the hourly history, the limit figures only
 * CRS counts, the per-model figures. Each is bounded per cycle whatever the number of users (config
 * `syncKeyReads`, at most 8 hourly calls), each runs on its own: a failing step is logged and leaves its previous
 * data, and never fails the cycle (the daily history and the totals are already committed).
 * The hourly and model reads are paced: through CRS's admin API at 100,000 keys one hourly trend costs CRS as much
 * as the daily one, and each per-key model read several seconds; both catch up on what they skipped.
 */
export async function runSteps(deps: Deps, full: boolean): Promise<StepOutcome> {
  const out = noChange();
  const steps: Array<[string, Step, boolean]> = [
    ['hourly', syncHourly, true],
    ['limits', readLimitFigures, false],
    ['models', readModels, true],
  ];
  for (const [name, step, paced] of steps) {
    try {
      const r = paced ? await runPaced(deps, name, full, step) : await step(deps, full);
      for (const u of r.changedUsers) out.changedUsers.add(u);
      out.crsCalls += r.crsCalls;
    } catch (e) {
      deps.logger.warn({ step: name, err: (e as Error).message }, 'sync step failed; its previous data is kept');
    }
  }
  return out;
}

/** When a paced step last started and how long it took (portal_settings, shared by every instance). */
export const paceSetting = (name: string) => `sync.${name}.pace`;

/**
 * Runs `step` unless it ran too recently for its cost; a full cycle always runs it. Timed by the wall clock (the
 * cost is CRS's real time), recorded in epoch ms.
 */
async function runPaced(deps: Deps, name: string, full: boolean, step: Step): Promise<StepOutcome> {
  const { db } = deps.database;
  const now = Date.now();
  const last = parsePace(await readSetting(db, paceSetting(name)));
  if (!full && last && last.ms >= PACED_FROM_MS && now - last.at < PACE * last.ms) {
    deps.logger.debug({ step: name, lastMs: last.ms }, 'sync step paced: skipped this cycle');
    return noChange();
  }
  const started = performance.now();
  const out = await step(deps, full);
  const ms = Math.round(performance.now() - started);
  await writeSetting(db, paceSetting(name), JSON.stringify({ at: now, ms }), deps.clock());
  return out;
}

function parsePace(value: string | undefined): { at: number; ms: number } | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as { at?: unknown; ms?: unknown };
    return typeof v.at === 'number' && typeof v.ms === 'number' ? { at: v.at, ms: v.ms } : undefined;
  } catch {
    return undefined;
  }
}
