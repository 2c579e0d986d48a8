/** Money is kept as integer micro-dollars end to end and becomes a USD number only at the API edge. */
export const toMicros = (usd: number): number => Math.round(usd * 1e6);
export const fromMicros = (micros: number): number => micros / 1e6;
