import { drawTokens, mulberry32, newDraw } from './rng.js';
import { DAY_MS, type Tz } from './time.js';

/** A seeded history: deterministic from these fields alone, so it can be replayed instead of stored. */
export interface SeedSpec {
  days: number;
  requestsPerDay: number;
  seed: number;
  /** Clock at seeding time: events run up to this instant, never into the future. */
  anchor: number;
}

export interface SeedEvent {
  ts: number;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
}

/**
 * Calls `visit` for every event of the spec, oldest first. Each CRS-local day gets requestsPerDay × [0.5, 1.5)
 * requests at sorted times (one jittered slot each, so no sort is needed); today's run up to the anchor only.
 * `visit` receives a reused object: copy it to keep it.
 */
export function generateSeedEvents(spec: SeedSpec, tz: Tz, visit: (e: SeedEvent) => void): void {
  const rand = mulberry32(spec.seed);
  const draw = newDraw();
  const ev: SeedEvent = { ts: 0, ...draw };
  const today = tz.dayNum(spec.anchor);
  for (let day = today - spec.days + 1; day <= today; day++) {
    const count = Math.round(spec.requestsPerDay * (0.5 + rand()));
    const start = tz.dayStartUtc(day);
    const slot = DAY_MS / Math.max(1, count);
    for (let i = 0; i < count; i++) {
      const ts = Math.floor(start + (i + rand()) * slot);
      drawTokens(rand, draw);
      if (ts > spec.anchor) continue;
      ev.ts = ts;
      ev.model = draw.model;
      ev.inputTokens = draw.inputTokens;
      ev.outputTokens = draw.outputTokens;
      ev.cacheCreateTokens = draw.cacheCreateTokens;
      ev.cacheReadTokens = draw.cacheReadTokens;
      visit(ev);
    }
  }
}
