/**
 * CRS's list prices for the models the emulator knows (docs/crs.md §9.3), per token as in CRS's price file so the
 * floating-point results match CRS's own (`3509 * 3e-6`, not `3509 * 3 / 1e6`). Unknown models cost $0, as in
 * CRS when a model is missing from its price table.
 */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export const SONNET = 'claude-sonnet-4-20250514';
export const OPUS = 'claude-opus-4-1-20250805';
export const HAIKU = 'claude-haiku-4-5-20251001';

export const PRICES: Record<string, ModelPrice> = {
  [SONNET]: { input: 3e-6, output: 1.5e-5, cacheWrite: 3.75e-6, cacheRead: 3e-7 },
  [OPUS]: { input: 1.5e-5, output: 7.5e-5, cacheWrite: 1.875e-5, cacheRead: 1.5e-6 },
  [HAIKU]: { input: 1e-6, output: 5e-6, cacheWrite: 1.25e-6, cacheRead: 1e-7 },
};

const ZERO: ModelPrice = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };

export function priceOf(model: string): ModelPrice {
  return PRICES[model] ?? ZERO;
}

export interface CostBreakdown {
  input: number;
  output: number;
  cacheCreate: number;
  cacheRead: number;
  total: number;
}

export function costBreakdown(model: string, inp: number, out: number, cc: number, cr: number): CostBreakdown {
  const p = priceOf(model);
  const input = inp * p.input;
  const output = out * p.output;
  const cacheCreate = cc * p.cacheWrite;
  const cacheRead = cr * p.cacheRead;
  return { input, output, cacheCreate, cacheRead, total: input + output + cacheCreate + cacheRead };
}

export function costOf(model: string, inp: number, out: number, cc: number, cr: number): number {
  const p = priceOf(model);
  return inp * p.input + out * p.output + cc * p.cacheWrite + cr * p.cacheRead;
}

/** CRS's `CostCalculator.formatCost`: "$12.54", "$0.4884", "$0.000000". */
export function formatCost(cost: number): string {
  if (cost >= 1) return `$${cost.toFixed(2)}`;
  if (cost >= 0.001) return `$${cost.toFixed(4)}`;
  return `$${cost.toFixed(6)}`;
}

export function isOpus(model: string): boolean {
  return model.includes('opus');
}
