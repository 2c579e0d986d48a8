import { HAIKU, OPUS, SONNET } from './pricing.js';

/** mulberry32: tiny, fast, deterministic; the seeder and the records regenerator must draw identical streams. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MIX_MODELS = [SONNET, HAIKU, OPUS] as const;

export interface TokenDraw {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
}

/**
 * One request's token mix, shaped like the captured samples: mostly sonnet, some haiku and opus, cache reads
 * dominant, cache writes on a bit more than half the requests. Writes into `out` to stay allocation-free.
 */
export function drawTokens(rand: () => number, out: TokenDraw): TokenDraw {
  const m = rand();
  out.model = m < 0.6 ? SONNET : m < 0.85 ? HAIKU : OPUS;
  out.inputTokens = 300 + Math.floor(rand() * 3700);
  out.outputTokens = 100 + Math.floor(rand() * 2900);
  out.cacheCreateTokens = rand() < 0.45 ? 0 : 500 + Math.floor(rand() * 5500);
  out.cacheReadTokens = rand() < 0.2 ? 0 : 2000 + Math.floor(rand() * 38000);
  return out;
}

export function newDraw(): TokenDraw {
  return { model: SONNET, inputTokens: 0, outputTokens: 0, cacheCreateTokens: 0, cacheReadTokens: 0 };
}
