/**
 * The one token split: input + output + cache create + cache read = tokens on every figure the portal keeps or
 * shows (docs/decisions/002). The HTTP contract's `tokenSplit` schema is the same four fields.
 */
export interface TokenSplit {
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
}

/** Requests, tokens (all four kinds) with their split, and cost in USD. */
export interface UsageFigures extends TokenSplit {
  requests: number;
  tokens: number;
  cost: number;
}
